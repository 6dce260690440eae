import { assertScope, type ProjectAccess } from "../access";
import { experimentKeysOf } from "../experiments/internal";
import { compileRunSearch, pageTokenAfter, type ViewType } from "../tracking-search";
import { executeSearch } from "../tracking-search/internal";
import { loadRunsWithinBudget } from "./internal";
import type { Run } from "./types";

/**
 * runs/search: full runs of the given experiments (MLflow ids) matching the filter, in the requested
 * order; a page holds fewer than max_results runs, with a token for the rest, when they would pass
 * MAX_SEARCH_PAGE_BYTES.
 */
export async function searchRuns(
  access: ProjectAccess,
  input: { experimentIds: string[]; filter?: string; orderBy?: string[]; viewType: ViewType; maxResults: number; pageToken?: string },
): Promise<{ runs: Run[]; nextPageToken?: string }> {
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
  const page = await executeSearch(search);
  const { runs, idsUsed } = await loadRunsWithinBudget(access, page.ids);
  const nextPageToken = idsUsed < page.ids.length ? pageTokenAfter(search.page, idsUsed) : page.nextPageToken;
  return { runs, ...(nextPageToken ? { nextPageToken } : {}) };
}
