import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { MAX_REQUEST_HEAD_BYTES } from "@/lib/openapi/operation";
import { config } from "../config";
import { PEER_ADDRESS_HEADER } from "../http/client-address";
import { apiError } from "../http/api-error";
import { operationsResponse } from "../http/operations";
import { apiV1Templates } from "../http/rest-routes";
import { routeSecurityHeaders, servedByRouteHandler } from "../http/security-headers";
import { startInvalidationListener, stopInvalidationListener } from "../services/cache-invalidation";
import { logger } from "../observability/logger";
import { recordRequest } from "../observability/request-log";
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext, type RequestContext } from "../observability/request-context";
import { routeFamilies } from "../observability/route-family";
import { startRequestExpiry } from "../services/promotions";
import { startLoginThrottleCleanup } from "../services/users";
import { startWebhookWorker } from "../services/webhooks";
import { leanApi } from "./lean-api";

/** The methods of Tally's pages and route handlers; anything else is refused before Next.js sees it. */
const SERVED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Tally's HTTP server: Next.js behind a plain node:http listener, so that every request carries the
 * TCP peer's address in a header no client can forge (Next.js itself keeps a client's own
 * X-Forwarded-For and offers route handlers no socket). The sign-in throttle and the audit log rely
 * on it; see docs/security.md. It also gives each request its id, times and logs it, and answers the
 * health probes and /metrics itself (docs/operations.md, "Observability").
 */
export async function serveTally(options: { dir: string; port: number; hostname?: string; dev: boolean }): Promise<void> {
  const hostname = options.hostname ?? "localhost";
  const app = next({ dev: options.dev, dir: options.dir, hostname, port: options.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Other replicas' revocations reach this process's caches through it (docs/operations.md).
  startInvalidationListener();
  const familyOf = routeFamilies(apiV1Templates());
  // In development Next.js recompiles what is edited; the lean path would keep serving the code it started with.
  const lean = config().TALLY_LEAN_API && !options.dev ? leanApi({ hostname, port: options.port }) : null;
  const server = createServer({ maxHeaderSize: MAX_REQUEST_HEAD_BYTES }, (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const pathname = (request.url ?? "/").split("?")[0]!;
    const context: RequestContext = { requestId: requestIdFrom(request.headers[REQUEST_ID_HEADER]), family: familyOf(pathname) };
    // Handlers read the id from the context; the header keeps what they see consistent with the answer.
    request.headers[REQUEST_ID_HEADER] = context.requestId;
    response.setHeader(REQUEST_ID_HEADER, context.requestId);
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
    runWithRequestContext(context, () => {
      const operations = operationsResponse(
        { method: request.method ?? "GET", pathname, authorization: request.headers.authorization },
        config().TALLY_METRICS_TOKEN,
      );
      // Pages get theirs (with a script nonce) from proxy.ts; route handlers cannot replace these.
      if (operations || servedByRouteHandler(pathname)) {
        for (const [name, value] of Object.entries(routeSecurityHeaders(config()))) response.setHeader(name, value);
      }
      let servedLean = false;
      response.once("close", () =>
        recordRequest(context, {
          method: request.method ?? "GET",
          status: response.statusCode,
          seconds: (performance.now() - started) / 1000,
          aborted: !response.writableFinished,
          routine: operations !== null,
          lean: servedLean,
        }),
      );
      // Next.js answers a method it has no handler kind for (TRACE, CONNECT, WebDAV's…) with a 500.
      if (!SERVED_METHODS.has(request.method ?? "")) refuseMethod(response, request.method ?? "", context.requestId);
      else if (operations) void send(response, operations, request.method === "HEAD");
      else if (lean?.(request, response)) servedLean = true;
      else void handle(request, response);
    });
  });
  // Development mode's hot reload talks over WebSocket upgrades.
  if (options.dev) server.on("upgrade", app.getUpgradeHandler());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  // Background work runs in every replica (each item is claimed by exactly one; docs/operations.md),
  // after the server listens so that it never delays the first request.
  const workers = config().TALLY_BACKGROUND_JOBS ? [startWebhookWorker(), startRequestExpiry(), startLoginThrottleCleanup()] : [];
  const stop = () => {
    server.close();
    // A delivery in flight finishes and is recorded (or its lease lapses and another replica sends it).
    void Promise.all([...workers.map((worker) => worker.stop()), app.close(), stopInvalidationListener()]).finally(() => process.exit(0));
    // Open keep-alive connections would hold close() back; the process ends regardless.
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  // Under `npm start` the launcher holds an IPC channel to this process. It closes when the launcher
  // dies, even by SIGKILL, which no handler can catch: the server must not outlive it and keep the
  // port (docs/operations.md, "Crash safety").
  process.once("disconnect", stop);
}

/** Writes an answer of the operator's endpoints (a fetch Response) to the node response. */
async function send(response: ServerResponse, pending: Promise<Response>, headOnly: boolean): Promise<void> {
  let answer: Response;
  try {
    answer = await pending;
  } catch (error) {
    logger().error({ err: error }, "Operations endpoint failed");
    answer = apiError(500, "INTERNAL", "Internal error");
  }
  response.statusCode = answer.status;
  answer.headers.forEach((value, name) => response.setHeader(name, value));
  response.end(headOnly ? undefined : Buffer.from(await answer.arrayBuffer()));
}

function refuseMethod(response: ServerResponse, method: string, requestId: string): void {
  response.writeHead(405, { allow: [...SERVED_METHODS].join(", "), "content-type": "application/json" });
  response.end(JSON.stringify({ error: { code: "METHOD_NOT_ALLOWED", message: `Method ${method} is not allowed`, request_id: requestId } }));
}
