import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { currentActor } from "../auth/current-actor";
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

export async function handleTrpcRequest(request: Request): Promise<Response> {
  if (crossSiteMutation(request)) {
    return Response.json({ error: { code: "FORBIDDEN", message: "Cross-site request refused" } }, { status: 403 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => ({ actor: await currentActor() }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}
