import { requestClientAddress } from "./client-address";
import { recordAnonymousEvent } from "../services/audit";

/**
 * Whether a browser sent this request from another site: `Sec-Fetch-Site: cross-site`, or an `Origin`
 * whose host differs from the request's. Session cookies are SameSite=Lax, so browsers don't attach
 * them to cross-site POSTs anyway; edges that accept a session for a change refuse these outright.
 */
export function isCrossSite(request: Request): boolean {
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
export function recordCrossSiteRefusal(request: Request): Promise<void> {
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
