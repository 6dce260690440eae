import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { experimentKeysOf } from "../experiments";
import { compileRunSearch, nextPageToken, type ViewType } from "../tracking-search";
import { loadRunViews } from "./runs";
import type { RunView } from "./views";

/** runs/search: full runs of the given experiments (MLflow ids) matching the filter, in the requested order. */
export async function searchRuns(
  access: ProjectAccess,
  input: { experimentIds: string[]; filter?: string; orderBy?: string[]; viewType: ViewType; maxResults: number; pageToken?: string },
): Promise<{ runs: RunView[]; next_page_token?: string }> {
  assertScope(access, "project:read");
  const search = compileRunSearch({
    projectId: access.project.id,
    experimentIds: await experimentKeysOf(access, input.experimentIds),
    filter: input.filter,
    orderBy: input.orderBy,
    viewType: input.viewType,
    maxResults: input.maxResults,
    pageToken: input.pageToken,
  });
  const rows = await db().$queryRawUnsafe<{ id: string }[]>(search.sql, ...search.params);
  const runs = await loadRunViews(access, rows.slice(0, input.maxResults).map((row) => row.id));
  const token = nextPageToken(search.page, rows.length);
  return { runs, ...(token ? { next_page_token: token } : {}) };
}
