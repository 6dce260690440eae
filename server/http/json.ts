/**
 * JSON with non-finite doubles spelled as MLflow does: NaN and ±Infinity travel as the strings
 * "NaN", "Infinity" and "-Infinity" (JSON has no literal for them, and plain JSON.stringify would
 * silently turn them into null).
 */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (typeof value === "number" && !Number.isFinite(value)) {
      return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    }
    return typeof value === "bigint" ? Number(value) : value;
  });
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  // API answers are small (most MLflow answers are "{}"): a gzip stream per response costs more CPU
  // than the bytes it saves on the ingest hot path. `no-transform` is what tells Next not to compress.
  if (!headers.has("cache-control")) headers.set("cache-control", "no-store, no-transform");
  return new Response(text, { ...init, headers });
}
