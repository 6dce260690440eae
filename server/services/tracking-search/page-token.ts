import { createHash } from "node:crypto";
import { badInput } from "@/lib/errors";

/** MLflow's cap on max_results for runs/search and experiments/search. */
export const MAX_RESULTS = 50_000;

/** Where a compiled search starts and what its page tokens must match. */
export interface Page {
  offset: number;
  maxResults: number;
  /** Fingerprint of the query shape (see `shapeOf`). */
  shape: string;
}

/**
 * A fingerprint of everything that decides which rows a search returns and in what order. A page
 * token carries it, so a token from one search is refused by another instead of silently skipping or
 * repeating rows. It is a plain hash, not a signature: forging a token only moves the offset, which a
 * caller could do anyway.
 */
export function shapeOf(query: unknown): string {
  return createHash("sha256").update(JSON.stringify(query)).digest("base64url").slice(0, 22);
}

export function openPage(shape: string, maxResults: number, pageToken: string | undefined): Page {
  if (!Number.isSafeInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    throw badInput(`Invalid max_results ${maxResults}: it must be a whole number from 1 to ${MAX_RESULTS}`);
  }
  return { offset: pageToken ? offsetOf(pageToken, shape) : 0, maxResults, shape };
}

/**
 * The token for the page after `page`, given how many rows its query returned: the compiled SQL asks
 * for one row more than `maxResults`, and that extra row is what says another page exists.
 */
export function nextPageToken(page: Page, rowsReturned: number): string | undefined {
  return rowsReturned <= page.maxResults ? undefined : pageTokenAfter(page, page.maxResults);
}

/** The token for the rows after the first `taken` of `page`: for a page its caller ends early. */
export function pageTokenAfter(page: Page, taken: number): string {
  const token: TokenBody = { offset: page.offset + taken, shape: page.shape };
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

interface TokenBody {
  offset: number;
  shape: string;
}

function offsetOf(pageToken: string, shape: string): number {
  const body = decode(pageToken);
  if (!body) throw badInput("Invalid page_token: it is not a token this server issued");
  if (body.shape !== shape) {
    throw badInput(
      "Invalid page_token: it belongs to a different search. Keep the filter, order_by, experiment ids " +
        "and view type unchanged while paging, or start again without a token",
    );
  }
  return body.offset;
}

function decode(pageToken: string): TokenBody | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(pageToken)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(pageToken, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null) return undefined;
  const { offset, shape } = body as Record<string, unknown>;
  if (!Number.isSafeInteger(offset) || (offset as number) < 0 || typeof shape !== "string") return undefined;
  return { offset: offset as number, shape };
}
