import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { badInput, payloadTooLarge } from "@/lib/errors";
import { json, type OperationSpec } from "@/lib/openapi/operation";
import { MAX_OPENLINEAGE_EVENT_BYTES, parseOpenLineageRunEvent, runEventObject } from "@/lib/schemas/openlineage";
import type { ProjectAccess } from "../services/access";
import { recordOpenLineageEvent } from "../services/openlineage";
import { apiBodyLimitBytes, readBytesWithin } from "./body";

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
export async function openLineageIntake(request: Request, access: ProjectAccess) {
  const parsed = parseOpenLineageRunEvent(parseJson(await eventText(request)));
  if ("problems" in parsed) throw badInput(parsed.problems.join("; "));
  const result = await recordOpenLineageEvent(access, parsed.event);
  return result.stored ? { status: 201 as const, body: { stored: true as const } } : { status: 200 as const, body: { stored: false as const, duplicate: true as const } };
}

/** The intake's operation, at either path: the body is read here (it may be gzip), not by the edge. */
export function openLineageOperation(operationId: string, path: string, into: string) {
  return {
    operationId,
    method: "POST",
    path,
    summary: `Record an OpenLineage RunEvent in ${into}`,
    description:
      "One RunEvent (OpenLineage spec 2-0-2; docs/openlineage.md) as JSON, optionally with `Content-Encoding: gzip`, " +
      `at most ${MAX_OPENLINEAGE_EVENT_BYTES} bytes. Each job execution becomes a lineage node between the dataset versions it read and wrote. A \`write\` token may.`,
    tag: "Lineage",
    auth: "token",
    body: { content: json(runEventObject), required: true, raw: true },
    answers: {
      201: { description: "Stored.", content: json(z.strictObject({ stored: z.literal(true) })) },
      200: { description: "The same event (run id, eventType, eventTime) was stored before.", content: json(z.strictObject({ stored: z.literal(false), duplicate: z.literal(true) })) },
    },
  } as const satisfies OperationSpec;
}
