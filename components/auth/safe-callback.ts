/** Only same-site paths may be a post-sign-in destination (no open redirects). */
export function safeCallbackUrl(value: string | string[] | undefined, fallback = "/projects"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return fallback;
  try {
    const url = new URL(raw, "http://tally.invalid");
    if (url.origin !== "http://tally.invalid") {
      return fallback;
    }
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
