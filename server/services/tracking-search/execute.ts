import { db } from "@/server/db/client";
import { nextPageToken } from "./page-token";
import type { CompiledSearch } from "./sql";

/** Runs a compiled search: the ids of one page, in order, and the token of the next page if there is one. */
export async function executeSearch(search: CompiledSearch): Promise<{ ids: string[]; nextPageToken?: string }> {
  const rows = await db().$queryRawUnsafe<{ id: string }[]>(search.sql, ...search.params);
  const token = nextPageToken(search.page, rows.length);
  return { ids: rows.slice(0, search.page.maxResults).map((row) => row.id), ...(token ? { nextPageToken: token } : {}) };
}
