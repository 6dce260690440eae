import { gunzipSync } from "node:zlib";
import { badInput, payloadTooLarge } from "@/lib/errors";
import { MAX_OPENLINEAGE_EVENT_BYTES, parseOpenLineageRunEvent } from "@/lib/schemas/openlineage";
import type { ProjectAccess } from "../services/access";
import { recordOpenLineageEvent } from "../services/openlineage";
import { apiError } from "./api-error";
import { apiBodyLimitBytes, readBytesWithin } from "./body";
import { jsonResponse } from "./json";

/** The body's text; OpenLineage clients may gzip it (`compression: gzip` in their HTTP transport). */
async function eventText(request: Request): Promise<string> {
  const limit = Math.min(MAX_OPENLINEAGE_EVENT_BYTES, apiBodyLimitBytes());
  const encoding = request.headers.get("content-encoding")?.trim().toLowerCase() || "identity";
  if (encoding !== "identity" && encoding !== "gzip") throw badInput(`Content-Encoding ${encoding} is not supported: send gzip or none`);
  const body = await readBytesWithin(request, limit);
  if (encoding === "identity") return body.toString("utf8");
  try {
    return gunzipSync(body, { maxOutputLength: limit }).toString("utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
      throw payloadTooLarge(`The event is larger than this server's limit of ${limit} bytes once decompressed`);
    }
    throw badInput("The request body is not valid gzip");
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badInput("The request body is not valid JSON");
  }
}

/**
 * `POST /api/v1/lineage` and `POST /api/v1/projects/<slug>/lineage`: one OpenLineage RunEvent into the
 * project's lineage graph (docs/openlineage.md). 201 `{stored: true}` when stored, 200
 * `{stored: false, duplicate: true}` when the same (run id, eventType, eventTime) already was; a bad
 * event is 400 naming each wrong field and stores nothing.
 */
export async function openLineageIntake(request: Request, access: ProjectAccess): Promise<Response> {
  const parsed = parseOpenLineageRunEvent(parseJson(await eventText(request)));
  if ("problems" in parsed) return apiError(400, "BAD_INPUT", parsed.problems.join("; "));
  const result = await recordOpenLineageEvent(access, parsed.event);
  return result.stored ? jsonResponse({ stored: true }, { status: 201 }) : jsonResponse({ stored: false, duplicate: true });
}
