import path from "node:path";
import { Readable } from "node:stream";
import { unauthenticated } from "@/lib/errors";
import { currentActor } from "../auth/current-actor";
import { requireProjectScope } from "../services/access";
import { readRunArtifact, type ObjectRead } from "../services/artifacts";
import { readVersionFile } from "../services/registry";
import type { ProjectAccess } from "../services/access";
import { errorResponse } from "./api-error";
import { parseRange } from "./mlflow-artifacts/range";

/** Raster images the browser may show inline; everything else is served as plain text or downloaded. */
const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * A run artifact for the web app (signed-in session): previews and downloads. User files never run as
 * active content on Tally's origin: HTML, SVG and the like come back as text/plain or as attachments,
 * always with a sandboxing CSP and nosniff.
 */
export function serveRunArtifact(request: Request, slug: string, runId: string): Promise<Response> {
  return serveArtifactFile(request, slug, (access, artifactPath, range) => readRunArtifact(access, runId, artifactPath, range));
}

/** One of a registered version's files (`path` relative to its storage location), served like a run artifact. */
export function serveVersionFile(request: Request, slug: string, name: string, version: number): Promise<Response> {
  return serveArtifactFile(request, slug, (access, artifactPath, range) => readVersionFile(access, name, version, artifactPath, range));
}

type Reader = (access: ProjectAccess, artifactPath: string, range?: { offset: number; length?: number }) => Promise<ObjectRead>;

async function serveArtifactFile(request: Request, slug: string, read: Reader): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) throw unauthenticated("Please sign in");
    const access = await requireProjectScope(actor, slug, "project:read");
    const url = new URL(request.url);
    const artifactPath = url.searchParams.get("path") ?? "";
    const download = url.searchParams.get("download") === "1";
    const range = await parseRange(request.headers.get("range"), async () => {
      const whole = await read(access, artifactPath);
      whole.body.destroy();
      return whole.size;
    });
    const object = await read(access, artifactPath, range ?? undefined);
    const fileName = path.posix.basename(artifactPath);
    const headers = new Headers({
      "content-length": String(object.range.length),
      "content-security-policy": "sandbox; default-src 'none'",
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=60",
    });
    if (download) {
      headers.set("content-type", object.contentType);
      headers.set("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    } else {
      headers.set("content-type", INLINE_IMAGES.has(object.contentType) ? object.contentType : "text/plain; charset=utf-8");
      headers.set("content-disposition", "inline");
    }
    if (range) headers.set("content-range", `bytes ${object.range.offset}-${object.range.offset + object.range.length - 1}/${object.size}`);
    return new Response(Readable.toWeb(object.body) as ReadableStream, { status: range ? 206 : 200, headers });
  } catch (error) {
    return errorResponse(error);
  }
}
