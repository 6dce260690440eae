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
  multipartUploadAvailable,
  presignArtifactDownload,
  putArtifact,
  readArtifact,
  statArtifact,
} from "@/server/services/artifacts";
import type { ProjectAccess } from "@/server/services/access";
import { callOfRequest } from "../api-call";
import { artifactResponse, parseRange, rangeStartsPastEnd, unsatisfiableRangeHeaders } from "../artifact-response";
import { apiBodyLimitBytes } from "../body";
import { mlflowError, mlflowJson, readMlflowInput } from "../mlflow/wire";
import { contentTypeFor } from "./content-types";

export interface ArtifactRoute {
  method: "GET" | "PUT" | "POST" | "DELETE";
  /**
   * Path after /api/2.0/mlflow-artifacts, e.g. "/artifacts/*path"; `:name` matches one segment, `*name`
   * the rest. Segments are still percent-encoded: the storage layer decodes them and refuses tricks.
   */
  path: string;
  /** Bodies stream in both directions, so a handler reads the request itself and answers a Response. */
  handle: (request: Request, access: ProjectAccess, params: Record<string, string>) => Promise<Response>;
}

const MULTIPART_UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";

/** MLflow's artifact routes; `handleMlflowArtifactsRequest` matches them with `matchRoute`. */
export const artifactRoutes: readonly ArtifactRoute[] = [
  { method: "GET", path: "/artifacts", handle: (request, access) => list(request, access) },
  { method: "GET", path: "/artifacts/*path", handle: (request, access, p) => download(request, access, p.path!) },
  { method: "PUT", path: "/artifacts/*path", handle: (request, access, p) => upload(request, access, p.path!) },
  {
    method: "DELETE",
    path: "/artifacts/*path",
    handle: async (_request, access, p) => {
      await deleteArtifact(access, p.path!);
      return mlflowJson({});
    },
  },
  // The folder after the action is optional: "mpu/create" uploads to the project's root.
  ...(["create", "complete", "abort"] as const).flatMap((action): ArtifactRoute[] =>
    [`/mpu/${action}`, `/mpu/${action}/*folder`].map((routePath) => ({
      method: "POST",
      path: routePath,
      handle: (request, access, p) => multipart(request, access, action, p.folder ?? ""),
    })),
  ),
  { method: "GET", path: "/presigned/*path", handle: (_request, access, p) => presigned(access, p.path!) },
];

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

async function list(request: Request, access: ProjectAccess): Promise<Response> {
  const entries = await listArtifacts(access, listPathOf(new URL(request.url).search));
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

async function presigned(access: ProjectAccess, rawPath: string): Promise<Response> {
  const link = await presignArtifactDownload(access, rawPath);
  if (!link) return mlflowError(501, "NOT_IMPLEMENTED", "Presigned downloads are not supported for the current artifact repository");
  return mlflowJson({ url: link.url, headers: {}, file_size: link.size });
}

const createBody = z.object({ path: z.string().min(1).max(4096), num_parts: z.coerce.number().int().min(1).max(10_000).default(1) });
const completeBody = z.object({
  path: z.string().min(1).max(4096),
  upload_id: z.string().min(1).max(1024),
  parts: z.array(z.object({ part_number: z.coerce.number().int(), etag: z.string().min(1).max(256) })).min(1).max(10_000),
});
const abortBody = z.object({ path: z.string().min(1).max(4096), upload_id: z.string().min(1).max(1024) });

async function multipart(
  request: Request,
  access: ProjectAccess,
  action: "create" | "complete" | "abort",
  rawFolder: string,
): Promise<Response> {
  if (!multipartUploadAvailable(access)) return mlflowError(501, "NOT_IMPLEMENTED", `${MULTIPART_UNSUPPORTED}: the filesystem store has no presigned part URLs`);
  const input = await readMlflowInput(callOfRequest(request), apiBodyLimitBytes());
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
