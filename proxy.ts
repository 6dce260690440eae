import { NextResponse, type NextRequest } from "next/server";
import { config as tallyConfig } from "@/server/config";
import { pageSecurityHeaders, routeSecurityHeaders, servedByRouteHandler, type SecurityHeaders } from "@/server/http/security-headers";

/**
 * Security headers on every response. A page gets a fresh script nonce: the Content-Security-Policy
 * request header carries it to Next, which puts it on the scripts it renders (every page is rendered
 * per request, see app/layout.tsx).
 */
export function proxy(request: NextRequest): NextResponse {
  const env = tallyConfig();
  if (servedByRouteHandler(request.nextUrl.pathname)) return withHeaders(NextResponse.next(), routeSecurityHeaders(env));
  const headers = pageSecurityHeaders(env, { development: process.env.NODE_ENV === "development" });
  const forwarded = new Headers(request.headers);
  forwarded.set("content-security-policy", headers["content-security-policy"]);
  return withHeaders(NextResponse.next({ request: { headers: forwarded } }), headers);
}

function withHeaders(response: NextResponse, headers: SecurityHeaders): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = { matcher: "/((?!_next/static|_next/image|favicon.ico).*)" };
