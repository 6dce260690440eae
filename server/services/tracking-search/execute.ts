import { pgPool } from "@/server/db/pool";
import { preparedQuery, recurringStatement } from "@/server/db/prepared";
import { nextPageToken } from "./page-token";
import type { CompiledSearch } from "./sql";

/**
 * Runs a compiled search: the ids of one page, in order, and the token of the next page if there is
 * one. Through the raw pool: Prisma's query engine added a few percent of a search's CPU for nothing.
 * A search asked again and again is prepared (recurringStatement).
 */
export async function executeSearch(search: CompiledSearch): Promise<{ ids: string[]; nextPageToken?: string }> {
  const { rows } = await pgPool().query<{ id: string }>(preparedQuery(recurringStatement(search.sql), search.params));
  const token = nextPageToken(search.page, rows.length);
  return { ids: rows.slice(0, search.page.maxResults).map((row) => row.id), ...(token ? { nextPageToken: token } : {}) };
}
