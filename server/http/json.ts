import type { PlainAnswer } from "./api-call";

const JSON_HEADERS = {
  "content-type": "application/json",
  // API answers are small (most MLflow answers are "{}"): a gzip stream per response costs more CPU
  // than the bytes it saves on the ingest hot path. `no-transform` is what tells Next not to compress.
  "cache-control": "no-store, no-transform",
} as const;

/**
 * JSON with non-finite doubles spelled as MLflow does: NaN and ±Infinity travel as the strings
 * "NaN", "Infinity" and "-Infinity" (JSON has no literal for them, and plain JSON.stringify would
 * silently turn them into null).
 */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", JSON_HEADERS["content-type"]);
  if (!headers.has("cache-control")) headers.set("cache-control", JSON_HEADERS["cache-control"]);
  return new Response(wireJson(body), { ...init, headers });
}

/** The same as a plain answer (api-call.ts). */
export function jsonAnswer(body: unknown, status: number): PlainAnswer {
  return { status, headers: JSON_HEADERS, body: wireJson(body) };
}

/**
 * The JSON text of an answer. A replacer function is called for every value and made serializing a
 * page of runs or a metric's history several times slower, so the plain serialization comes first:
 * without a `null` anywhere in its text, no number was non-finite; a bigint makes it throw.
 */
export function wireJson(body: unknown): string {
  try {
    const text = JSON.stringify(body);
    if (!text.includes("null")) return text;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  return JSON.stringify(body, (_key, value: unknown) => {
    if (typeof value === "number" && !Number.isFinite(value)) {
      return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    }
    return typeof value === "bigint" ? Number(value) : value;
  });
}
