const BASE = "http://tally.invalid";

/**
 * Only same-site paths may be a post-sign-in destination (no open redirects). The value must be a path
 * (`/...`, no scheme); browsers drop tabs and newlines anywhere in a URL, so they are dropped before
 * looking. A path that starts with `//` or `/\` (also percent-encoded, or reached through `/./` or `/../`)
 * names another host to a browser or to a server that decodes it, and is refused.
 */
export function safeCallbackUrl(value: string | string[] | undefined, fallback = "/projects"): string {
  const raw = (Array.isArray(value) ? value[0] : value)?.replace(/[\t\n\r]/g, "");
  if (!raw?.startsWith("/")) return fallback;
  try {
    const url = new URL(raw, BASE);
    if (url.origin !== BASE || namesAnotherHost(url.pathname)) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

function namesAnotherHost(pathname: string): boolean {
  try {
    return /^\/[/\\]/.test(decodeURIComponent(pathname));
  } catch {
    return true;
  }
}

/** next-auth's `redirect` callback (after an SSO sign-in or a sign-out): the same rule, on this origin. */
export function sameOriginRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const origin = new URL(baseUrl).origin;
  const path = url.startsWith(`${origin}/`) ? url.slice(origin.length) : url;
  return `${origin}${safeCallbackUrl(path)}`;
}
