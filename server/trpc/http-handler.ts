import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { TRPC_MAX_BATCH_SIZE, TRPC_MAX_BODY_BYTES } from "@/lib/trpc-limits";
import { currentActor } from "../auth/current-actor";
import { readBodyWithin } from "../http/body";
import { requestClientAddress } from "../http/client-address";
import { recordAnonymousEvent } from "../services/audit";
import { appRouter } from "./root";

/**
 * Session cookies are SameSite=Lax, so browsers don't attach them to cross-site POSTs; on top of that,
 * mutations whose Origin is another site are refused outright.
 */
function crossSiteMutation(request: Request): boolean {
  if (request.method !== "POST") return false;
  if (request.headers.get("sec-fetch-site") === "cross-site") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/** Refusals are audited (no project: the request never got that far) with what the browser said. */
function recordCrossSiteRefusal(request: Request): Promise<void> {
  const address = requestClientAddress(request.headers);
  return recordAnonymousEvent(address, {
    action: "request.refused",
    resourceType: "request",
    resourceId: new URL(request.url).pathname,
    after: {
      reason: "cross-site",
      origin: request.headers.get("origin"),
      fetchSite: request.headers.get("sec-fetch-site"),
      address: address ?? null,
    },
  });
}

export async function handleTrpcRequest(request: Request): Promise<Response> {
  if (crossSiteMutation(request)) {
    await recordCrossSiteRefusal(request);
    return Response.json({ error: { code: "FORBIDDEN", message: "Cross-site request refused" } }, { status: 403 });
  }
  let bounded = request;
  if (request.method === "POST") {
    try {
      // Read (at most the limit) before tRPC does, which would read any size.
      const body = await readBodyWithin(request, TRPC_MAX_BODY_BYTES);
      bounded = new Request(request.url, { method: "POST", headers: request.headers, body });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return Response.json({ error: { code: error.code, message: error.message } }, { status: HTTP_STATUS[error.code] });
    }
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: bounded,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH_SIZE,
    createContext: async () => ({ actor: await currentActor() }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}
