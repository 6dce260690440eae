import { readBytesWithin } from "./body";

/**
 * The plain handler contract of the REST API's JSON routes: a request as the few things a handler
 * reads of it, and an answer as status, headers and JSON text. Next.js hands route handlers a web
 * `Request` and wants a web `Response` back; building, reading and writing those was about a tenth
 * of a small API request's CPU (docs/performance.md, "The plain handler contract"). The lean API path
 * calls plain handlers with neither (server/runtime/lean-api.ts); the route handler Next calls adapts
 * its `Request` and `Response` around the same plain handler (`callOfRequest`, `responseOfAnswer`).
 */
export interface ApiCall {
  readonly method: string;
  /** The request's absolute URL, as Next.js builds it (from its own hostname and port). */
  readonly url: string;
  readonly headers: HeaderLookup;
  /** The body's bytes, refused with PAYLOAD_TOO_LARGE past `limitBytes` (as `readBytesWithin`). */
  bytesWithin(limitBytes: number): Promise<Buffer>;
}

/** A request's headers by (case-insensitive) name, repeated ones joined as `Headers.get` joins them. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/** An answer with a JSON body. Header names are lower case. */
export interface PlainAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function callOfRequest(request: Request): ApiCall {
  return { method: request.method, url: request.url, headers: request.headers, bytesWithin: (limitBytes) => readBytesWithin(request, limitBytes) };
}

export function responseOfAnswer(answer: PlainAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
