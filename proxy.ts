import { NextResponse, type NextRequest } from "next/server";
import { config as tallyConfig } from "@/server/config";
import { pageSecurityHeaders } from "@/server/http/security-headers";

/**
 * Security headers of every page, with a fresh script nonce: the Content-Security-Policy request
 * header carries it to Next, which puts it on the scripts it renders (every page is rendered per
 * request, see app/layout.tsx). Route handlers (the APIs, probes, artifacts) never come here: Tally's
 * HTTP server gives them their headers without the cost of a proxy call (server/runtime/http-server.ts).
 */
export function proxy(request: NextRequest): NextResponse {
  const headers = pageSecurityHeaders(tallyConfig(), { development: process.env.NODE_ENV === "development" });
  const forwarded = new Headers(request.headers);
  forwarded.set("content-security-policy", headers["content-security-policy"]);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** Everything but static files and the paths servedByRouteHandler (server/http/security-headers.ts) names. */
export const config = {
  matcher: "/((?!_next/static|_next/image|favicon.ico|api/|health|version|projects/[^/]+/api/|projects/[^/]+/runs/[^/]+/artifact|projects/[^/]+/models/[^/]+/versions/[^/]+/artifact).*)",
};
