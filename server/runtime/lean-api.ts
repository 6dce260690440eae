import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { isIPv6 } from "node:net";
import {
  NEXT_ROUTER_PREFETCH_HEADER,
  NEXT_ROUTER_SEGMENT_PREFETCH_HEADER,
  NEXT_ROUTER_STATE_TREE_HEADER,
  RSC_HEADER,
} from "next/dist/client/components/app-router-headers";
import { releaseCompressionStream } from "next/dist/server/lib/release-compression-stream";
import { apiError } from "../http/api-error";
import type { ApiCall, PlainAnswer } from "../http/api-call";
import { bodyReadWithin, withBodyRead } from "../http/body";
import { mlflowError } from "../http/mlflow/wire";
import { matchRestRoute, type RestRoute } from "../http/rest-routes";
import type { RouteHandler, RouteMethod, RouteParams } from "../http/route-module";
import { operationOf } from "../http/v1/routes";
import { logger } from "../observability/logger";
import { writeAnswer, writePlainAnswer } from "./write-answer";

/**
 * The lean API path: Tally's HTTP server calls the REST API's route handlers (server/http/rest-routes.ts)
 * itself instead of handing the request to Next.js, which spends most of a small API request's time
 * on routing, request adapters and its own bookkeeping (docs/architecture.md, "The lean API path").
 * The handlers are the very ones Next would call or, for the routes that have one, the plain handler
 * (server/http/api-call.ts) that Next's handler wraps, called without web Request and Response
 * objects. Everything Next adds around them is done the same way here, so the answers are the same:
 * the request's URL is built from Next's configured hostname and port, the `Vary` header Next puts on
 * app routes is set first, Next's own compression middleware runs, and the answer is written as Next
 * writes a Response (write-answer.ts).
 *
 * Whatever this path does not take, Next serves: another path, a method the route does not export
 * (Next answers 405, or 204 to OPTIONS), a path Next would normalize or redirect, Next's internal
 * headers, and /api/v1 operations that take the web app's session when the request has no
 * `Authorization` (next-auth reads cookies through Next's request scope).
 */
export type LeanApi = (request: IncomingMessage, response: ServerResponse) => boolean;

const require = createRequire(import.meta.url);
type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;
const compression = require("next/dist/compiled/compression") as () => Middleware;

const NEXT_VARY = [RSC_HEADER, NEXT_ROUTER_STATE_TREE_HEADER, NEXT_ROUTER_PREFETCH_HEADER, NEXT_ROUTER_SEGMENT_PREFETCH_HEADER].join(", ");

/** Segments of plain characters only: no empty segment (`//`), no trailing slash, nothing a URL parser would re-encode. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)+$/;
/** `.` and `..` segments, also percent-encoded: URL parsing removes them. */
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?=\/|$)/i;
/** Headers and the query parameter through which Next's own client and proxies steer it. */
const NEXT_INTERNAL_HEADER = /^(?:rsc|next-.*|x-next-.*|x-nextjs-.*|x-middleware-.*|x-invoke-.*|x-matched-path|x-now-route-matches)$/i;
const NEXT_INTERNAL_QUERY = /[?&]_rsc(?:[=&]|$)/;

/** Loopback names: Next's request URLs call them all `localhost` (NextURL). */
const LOOPBACK = /^(?:127(?:\.(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)){3}|::1|localhost)$/;

/**
 * `hostname` and `port` are those Next.js was created with: it builds every request's URL from them,
 * never from the Host header (TALLY_URL is what makes links point elsewhere, server/http/public-origin.ts).
 */
export function leanApi(origin: { hostname: string; port: number }): LeanApi {
  const name = LOOPBACK.test(origin.hostname) ? "localhost" : isIPv6(origin.hostname) ? `[${origin.hostname}]` : origin.hostname;
  const host = `${name}:${origin.port}`;
  const compress = compression();
  return (request, response) => {
    const target = request.url ?? "";
    const method = request.method ?? "GET";
    const queryStart = target.indexOf("?");
    const pathname = queryStart < 0 ? target : target.slice(0, queryStart);
    if (!PLAIN_PATH.test(pathname) || DOT_SEGMENT.test(pathname)) return false;
    if ((queryStart >= 0 && NEXT_INTERNAL_QUERY.test(target.slice(queryStart))) || hasNextInternalHeader(request.rawHeaders)) return false;
    const match = matchRestRoute(pathname);
    if (!match) return false;
    const handler = match.route.module[(method === "HEAD" ? "GET" : method) as RouteMethod];
    if (!handler) return false;
    if (operationOf(handler)?.auth === "token-or-session" && request.headers.authorization === undefined) return false;
    compress(request, response, () => undefined);
    // A client gone mid-answer would otherwise leave the middleware's zlib stream open.
    response.once("close", () => {
      if (!response.writableFinished) releaseCompressionStream(response);
    });
    response.appendHeader("vary", NEXT_VARY);
    const encrypted = "encrypted" in request.socket && request.socket.encrypted === true;
    const protocol = encrypted || request.headers["x-forwarded-proto"]?.includes("https") ? "https" : "http";
    void serve(`${protocol}://${host}${target}`, request, response, match.route, handler, match.params);
    return true;
  };
}

async function serve(url: string, request: IncomingMessage, response: ServerResponse, route: RestRoute, handler: RouteHandler, params: RouteParams) {
  const method = request.method ?? "GET";
  const declared = Number(request.headers["content-length"]);
  const hasBody = method !== "GET" && method !== "HEAD";
  const readFirst = hasBody && !route.streamsBody && declared <= BODY_READ_FIRST_BYTES;
  const body = readFirst ? await bodyOf(request) : undefined;
  // The client went away before sending all of it: there is no one to answer.
  if (body === null) return;
  let answer: Response | PlainAnswer;
  try {
    if (route.answer && (body || !hasBody)) answer = await route.answer(callOf(url, method, request, body), params);
    else {
      const webRequest = body ? withBodyRead(requestOf(url, method, request, false), body) : requestOf(url, method, request, true);
      answer = await handler(webRequest, { params: Promise.resolve(params) });
    }
  } catch (error) {
    logger().error({ err: error }, "Route handler failed");
    answer = route.api === "mlflow" ? mlflowError(500, "INTERNAL_ERROR", "Internal error") : apiError(500, "INTERNAL", "Internal error");
  }
  try {
    if (answer instanceof Response) await writeAnswer(method, response, answer);
    else writePlainAnswer(method, response, answer);
  } catch (error) {
    logger().error({ err: error }, "Writing the answer failed");
  }
}

/**
 * Bodies up to this size (by their Content-Length) are read before the handler runs and handed to the
 * route's plain handler, or to its method handler beside the Request (`withBodyRead`); larger ones,
 * and bodies of unknown length, are streamed to the method handler.
 */
const BODY_READ_FIRST_BYTES = 64 * 1024;

/**
 * The request as a plain handler reads it (server/http/api-call.ts): `body` is what was read first,
 * none when the method takes none. Repeated headers are joined as `Headers.get` joins them.
 */
function callOf(url: string, method: string, request: IncomingMessage, body: Buffer | undefined): ApiCall {
  const { headers } = request;
  return {
    method,
    url,
    headers: {
      get(name) {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
    bytesWithin: async (limitBytes) => bodyReadWithin(headers["content-length"], body ?? NO_BODY, limitBytes),
  };
}

const NO_BODY = Buffer.alloc(0);

/** The request as Next hands it to a route handler: headers as received and, with `streamBody`, the body streamed. */
function requestOf(url: string, method: string, request: IncomingMessage, streamBody: boolean): Request {
  const hasBody = streamBody && method !== "GET" && method !== "HEAD";
  // A Node stream is an async iterable of chunks, which fetch's Request reads as it is consumed.
  const body = hasBody ? (request as unknown as ReadableStream<Uint8Array>) : null;
  return new Request(url, { method, headers: headersOf(request.headers), body, duplex: "half" } as RequestInit);
}

/** The whole body, or null when the request ends before it (the client went away). */
function bodyOf(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    request.once("error", () => resolve(null));
    request.once("close", () => resolve(request.complete ? Buffer.concat(chunks) : null));
  });
}

function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else headers.append(name, value);
  }
  return headers;
}

function hasNextInternalHeader(rawHeaders: string[]): boolean {
  for (let index = 0; index < rawHeaders.length; index += 2) if (NEXT_INTERNAL_HEADER.test(rawHeaders[index]!)) return true;
  return false;
}
