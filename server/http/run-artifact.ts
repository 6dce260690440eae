import path from "node:path";
import { unauthenticated } from "@/lib/errors";
import { currentActor } from "../auth/current-actor";
import { requireProjectScope } from "../services/access";
import { readRunArtifact } from "../services/artifacts";
import { errorResponse } from "./api-error";
import { artifactResponse, parseRange } from "./artifact-response";

/**
 * A run artifact for the web app (signed-in session): previews and downloads. User files never run as
 * active content on Tally's origin: HTML, SVG and the like come back as text/plain or as attachments,
 * always with a sandboxing CSP and nosniff (see `artifactResponse`).
 */
export async function serveRunArtifact(request: Request, slug: string, runId: string): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) throw unauthenticated("Please sign in");
    const access = await requireProjectScope(actor, slug, "project:read");
    const url = new URL(request.url);
    const artifactPath = url.searchParams.get("path") ?? "";
    const download = url.searchParams.get("download") === "1";
    const range = await parseRange(request.headers.get("range"), async () => {
      const whole = await readRunArtifact(access, runId, artifactPath);
      whole.body.destroy();
      return whole.size;
    });
    const object = await readRunArtifact(access, runId, artifactPath, range ?? undefined);
    return artifactResponse(object, {
      range,
      disposition: download ? { attachment: path.posix.basename(artifactPath) } : "inline",
      headers: { "cache-control": "private, max-age=60" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
