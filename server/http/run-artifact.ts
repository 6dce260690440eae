import path from "node:path";
import { unauthenticated } from "@/lib/errors";
import { currentActor } from "../auth/current-actor";
import { readRunArtifact, type ObjectRead } from "../services/artifacts";
import { readVersionFile } from "../services/registry";
import { resolveProjectAccess, type ProjectAccess } from "../services/access";
import { errorResponse } from "./api-error";
import { artifactResponse, parseRange } from "./artifact-response";

/**
 * A run artifact for the web app (signed-in session): previews and downloads. User files never run as
 * active content on Tally's origin: HTML, SVG and the like come back as text/plain or as attachments,
 * always with a sandboxing CSP and nosniff (see `artifactResponse`).
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
    const access = await resolveProjectAccess(actor, slug);
    const url = new URL(request.url);
    const artifactPath = url.searchParams.get("path") ?? "";
    const download = url.searchParams.get("download") === "1";
    const range = await parseRange(request.headers.get("range"), async () => {
      const whole = await read(access, artifactPath);
      whole.body.destroy();
      return whole.size;
    });
    const object = await read(access, artifactPath, range ?? undefined);
    return artifactResponse(object, {
      range,
      disposition: download ? { attachment: path.posix.basename(artifactPath) } : "inline",
      headers: { "cache-control": "private, max-age=60" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
