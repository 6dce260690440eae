import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { z } from "zod";
import { badInput } from "@/lib/errors";
import {
  abortArtifactUpload,
  completeArtifactUpload,
  createArtifactUpload,
  decodeArtifactPath,
  deleteArtifact,
  listArtifacts,
  multipartSupported,
  presignArtifactDownload,
  putArtifact,
  readArtifact,
  statArtifact,
} from "@/server/services/artifacts";
import type { ProjectAccess } from "@/server/services/access";
import { artifactResponse, parseRange, rangeStartsPastEnd, unsatisfiableRangeHeaders } from "../artifact-response";
import { authorizeMlflowRequest } from "../mlflow/authorize";
import { apiBodyLimitBytes } from "../body";
import { mlflowError, mlflowErrorResponse, mlflowJson, readMlflowInput } from "../mlflow/wire";
import { contentTypeFor } from "./content-types";

const PREFIX = "/api/2.0/mlflow-artifacts/";
const MULTIPART_UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";

/**
 * MLflow's proxied artifact API (`/api/2.0/mlflow-artifacts/...`, also under `/projects/<slug>`).
 * Bodies stream in both directions; the path is taken from the raw URL, still percent-encoded, so
 * the storage layer sees exactly what the client sent and can refuse encoded tricks.
 */
export async function handleMlflowArtifactsRequest(request: Request, projectSlug?: string): Promise<Response> {
  try {
    const { pathname, search } = new URL(request.url);
    const start = pathname.indexOf(PREFIX);
    const rest = start < 0 ? "" : pathname.slice(start + PREFIX.length);
    const [section = "", ...tail] = rest.split("/");
    const rawPath = tail.join("/");
    const access = (scope: Parameters<typeof authorizeMlflowRequest>[2]) => authorizeMlflowRequest(request, projectSlug, scope);

    if (section === "artifacts") {
      if (rawPath === "" && request.method === "GET") return await list(await access("project:read"), listPathOf(search));
      if (rawPath === "") return notFoundEndpoint(request, rest);
      switch (request.method) {
        case "GET":
          return await download(request, await access("project:read"), rawPath);
        case "PUT":
          return await upload(request, await access("runs:write"), rawPath);
        case "DELETE":
          await deleteArtifact(await access("runs:delete"), rawPath);
          return mlflowJson({});
      }
      return mlflowError(405, "BAD_REQUEST", `Method ${request.method} is not allowed on ${PREFIX}artifacts/...`);
    }
    if (section === "mpu" && request.method === "POST" && ["create", "complete", "abort"].includes(tail[0] ?? "")) {
      const granted = await access("runs:write");
      if (!multipartSupported()) return mlflowError(501, "NOT_IMPLEMENTED", `${MULTIPART_UNSUPPORTED}: the filesystem store has no presigned part URLs`);
      return await multipart(request, granted, tail[0] as "create" | "complete" | "abort", tail.slice(1).join("/"));
    }
    if (section === "presigned" && request.method === "GET" && rawPath !== "") {
      const link = await presignArtifactDownload(await access("project:read"), rawPath);
      if (!link) return mlflowError(501, "NOT_IMPLEMENTED", "Presigned downloads are not supported for the current artifact repository");
      return mlflowJson({ url: link.url, headers: {}, file_size: link.size });
    }
    return notFoundEndpoint(request, rest);
  } catch (error) {
    return mlflowErrorResponse(error);
  }
}

const notFoundEndpoint = (request: Request, rest: string) =>
  mlflowError(404, "ENDPOINT_NOT_FOUND", `No API endpoint ${request.method} ${PREFIX}${rest}`);

/**
 * The folder to list, from the first `path` query parameter, decoded once. URLSearchParams would keep
 * a malformed escape as literal text ("%zz") or turn it into U+FFFD, listing some other folder; the
 * raw value is decoded here instead, so a malformed one is refused like a malformed URL path.
 */
function listPathOf(search: string): string {
  const pair = search
    .slice(1)
    .split("&")
    .find((candidate) => new URLSearchParams(candidate).has("path"));
  if (pair === undefined || !pair.includes("=")) return "";
  return decodeArtifactPath(pair.slice(pair.indexOf("=") + 1).replaceAll("+", " "));
}

async function list(access: ProjectAccess, folder: string): Promise<Response> {
  const entries = await listArtifacts(access, folder);
  return mlflowJson({
    files: entries.map((entry) => ({ path: entry.path, is_dir: entry.isDir, ...(entry.isDir ? {} : { file_size: entry.size }) })),
  });
}

async function upload(request: Request, access: ProjectAccess, rawPath: string): Promise<Response> {
  const declared = request.headers.get("content-length");
  const size = declared === null ? undefined : Number(declared);
  if (size !== undefined && !Number.isSafeInteger(size)) throw badInput("Content-Length must be a whole number of bytes");
  const contentType = request.headers.get("content-type") || contentTypeFor(decodeArtifactPath(rawPath));
  const body = request.body ? Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>) : new Uint8Array();
  await putArtifact(access, rawPath, body, { size, contentType });
  return mlflowJson({});
}

async function download(request: Request, access: ProjectAccess, rawPath: string): Promise<Response> {
  const fileName = path.posix.basename(decodeArtifactPath(rawPath));
  const rangeHeader = request.headers.get("range");
  const size = rangeHeader ? (await statArtifact(access, rawPath)).size : undefined;
  const range = await parseRange(rangeHeader, async () => size!);
  if (range && size !== undefined && rangeStartsPastEnd(range, size)) {
    return mlflowError(416, "INVALID_PARAMETER_VALUE", `Range starts past the end of the file (${size} bytes)`, unsatisfiableRangeHeaders(size));
  }
  const object = await readArtifact(access, rawPath, range ?? undefined);
  return artifactResponse(object, {
    range,
    disposition: { attachment: fileName },
    headers: { "accept-ranges": "bytes", "last-modified": object.lastModified.toUTCString() },
  });
}

const createBody = z.object({ path: z.string().min(1).max(4096), num_parts: z.coerce.number().int().min(1).max(10_000).default(1) });
const completeBody = z.object({
  path: z.string().min(1).max(4096),
  upload_id: z.string().min(1).max(1024),
  parts: z.array(z.object({ part_number: z.coerce.number().int(), etag: z.string().min(1).max(256) })).min(1).max(10_000),
});
const abortBody = z.object({ path: z.string().min(1).max(4096), upload_id: z.string().min(1).max(1024) });

async function multipart(request: Request, access: ProjectAccess, action: "create" | "complete" | "abort", rawFolder: string) {
  const input = await readMlflowInput(request, apiBodyLimitBytes());
  if (action === "create") {
    const body = createBody.parse(input);
    const created = await createArtifactUpload(access, rawFolder, body.path, body.num_parts);
    return mlflowJson({
      upload_id: created.uploadId,
      credentials: created.credentials.map((credential) => ({ url: credential.url, part_number: credential.partNumber, headers: {} })),
    });
  }
  if (action === "complete") {
    const body = completeBody.parse(input);
    const parts = body.parts.map((part) => ({ partNumber: part.part_number, etag: part.etag }));
    await completeArtifactUpload(access, rawFolder, body.path, body.upload_id, parts);
    return mlflowJson({});
  }
  const body = abortBody.parse(input);
  await abortArtifactUpload(access, rawFolder, body.path, body.upload_id);
  return mlflowJson({});
}
