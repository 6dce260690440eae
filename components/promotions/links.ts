/** Requests the inbox shows at a time ("Load more" for the next). */
export const REQUESTS_PAGE_SIZE = 50;

export const requestsHref = (slug: string) => `/projects/${slug}/requests`;
export const requestHref = (slug: string, id: string) => `${requestsHref(slug)}/${encodeURIComponent(id)}`;

/**
 * The request page a "needs approval" refusal points at: its message ends in the request's path
 * (docs/promotions.md), so the page can show a link instead of the raw text.
 */
export function approvalRequiredPath(message: string): string | null {
  return /(\/projects\/[^/\s]+\/requests\/[^/\s]+)$/.exec(message)?.[1] ?? null;
}
