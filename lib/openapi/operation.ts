import type { z } from "zod";

/**
 * What one REST operation declares about itself: the zod schemas that validate its path, query,
 * headers and body, and those of its answers. The route handler is built from the declaration
 * (server/http/api-operation.ts) and the OpenAPI document is generated from it (lib/openapi/document.ts),
 * so the document cannot say something the handler does not do (docs/api.md).
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * How a caller proves who it is: a project API token; a token or, without an Authorization header,
 * the web app's session; or nothing at all.
 */
export type OperationAuth = "token" | "token-or-session" | "public";

/** A body by media type: JSON is validated by the edge, other media types by the handler itself. */
export type MediaTypes = Readonly<Record<string, z.ZodType>>;

export interface AnswerSpec {
  description: string;
  content?: MediaTypes;
  /** Response headers worth knowing (ETag, …), name → what it carries. */
  headers?: Readonly<Record<string, string>>;
}

export interface OperationSpec {
  /** Unique across the document, e.g. `listPromotionRequests`. */
  operationId: string;
  method: HttpMethod;
  /** Relative to the document's server (`/api/v1`), `{name}` for a path parameter. */
  path: string;
  summary: string;
  description?: string;
  /** The group the operation is listed under. */
  tag: string;
  auth: OperationAuth;
  /** Each is an object schema (refinements and transforms allowed): one parameter per field. */
  params?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the operation reads (names in lower case). */
  headers?: z.ZodType;
  /** `raw`: the handler reads the body itself (compressed, or not JSON); otherwise a JSON-only body is parsed by the edge. */
  body?: { content: MediaTypes; required: boolean; description?: string; raw?: true };
  /** The successful answers by status. */
  answers: Readonly<Record<number, AnswerSpec>>;
  /** Error statuses beyond those every operation of its kind can answer (see `errorStatusesOf`). */
  errors?: readonly number[];
}

export const JSON_MEDIA_TYPE = "application/json";

/** A JSON answer or body. */
export const json = <Schema extends z.ZodType>(schema: Schema) => ({ [JSON_MEDIA_TYPE]: schema }) as { "application/json": Schema };

/** What each error status means in Tally's REST API (the body is always `{ error: { code, message } }`). */
export const ERROR_STATUS_MEANINGS: Readonly<Record<number, string>> = {
  400: "Bad input: the message names the field and what is wrong with it. Nothing was changed.",
  401: "No valid API token (or session) was given.",
  403: "The token (or person) may not do this: the message says which permission is missing.",
  404: "The project, or the thing asked for, does not exist or is not visible to the caller.",
  409: "The request conflicts with the current state (the message says how).",
  413: "The request body is larger than the server's limit.",
  429: "Too many failed attempts from this address: try again later.",
  503: "The database was unavailable or too slow to answer in time: retry.",
};

/**
 * The most bytes Tally's HTTP server reads of a request's head (request line and headers). Every
 * input a GET documents fits within it, even at its longest and all non-ASCII: percent-encoded, a
 * character takes up to 12 bytes, and MLflow's search filter alone may be 10,000 characters.
 */
export const MAX_REQUEST_HEAD_BYTES = 256 * 1024;

/** Statuses the HTTP server answers before any operation runs, with no body. */
export const PROTOCOL_STATUS_MEANINGS: Readonly<Record<number, string>> = {
  431: `The URL and headers together are larger than the server's limit of ${MAX_REQUEST_HEAD_BYTES / 1024} KiB (no body).`,
};

export function protocolStatusesOf(spec: OperationSpec): number[] {
  return spec.params || spec.query ? [431] : [];
}

/**
 * The error statuses an operation can answer: any authenticated one 401, 403 and 429 (and 503 when
 * its database work times out), 400 when it takes any input, 404 when its path names something,
 * 413 when it takes a body, plus those it declares.
 */
export function errorStatusesOf(spec: OperationSpec): number[] {
  const statuses = new Set<number>(spec.errors ?? []);
  if (spec.auth !== "public") [401, 403, 429, 503].forEach((status) => statuses.add(status));
  if (spec.params || spec.query || spec.headers || spec.body) statuses.add(400);
  if (spec.params) statuses.add(404);
  if (spec.body) statuses.add(413);
  return [...statuses].sort((a, b) => a - b);
}
