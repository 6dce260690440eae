import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { TRPC_MAX_BATCH_SIZE, TRPC_MAX_BODY_BYTES } from "@/lib/trpc-limits";
import { currentActor } from "../auth/current-actor";
import { apiError } from "../http/api-error";
import { readBodyWithin } from "../http/body";
import { isCrossSite, recordCrossSiteRefusal } from "../http/cross-site";
import { logger } from "../observability/logger";
import { appRouter } from "./root";

export async function handleTrpcRequest(request: Request): Promise<Response> {
  // Mutations only: tRPC queries are GETs and change nothing.
  if (request.method === "POST" && isCrossSite(request)) {
    await recordCrossSiteRefusal(request);
    return apiError(403, "FORBIDDEN", "Cross-site request refused");
  }
  let bounded = request;
  if (request.method === "POST") {
    try {
      // Read (at most the limit) before tRPC does, which would read any size.
      const body = await readBodyWithin(request, TRPC_MAX_BODY_BYTES);
      bounded = new Request(request.url, { method: "POST", headers: request.headers, body });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return apiError(HTTP_STATUS[error.code], error.code, error.message);
    }
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: bounded,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH_SIZE,
    createContext: async () => ({ actor: await currentActor() }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") logger().error({ err: error.cause ?? error, procedure: path }, "tRPC procedure failed");
    },
  });
}
