import { assertScope, type ProjectAccess } from "../access";
import { experimentKeysOf } from "../experiments/internal";
import { compileRunSearch, executeSearch, pageTokenAfter, type ViewType } from "../tracking-search";
import { runsWithinPageBudget } from "./page-budget";
import { loadRunViews } from "./runs";
import type { RunView } from "./views";

/**
 * runs/search: full runs of the given experiments (MLflow ids) matching the filter, in the requested
 * order; a page holds fewer than max_results runs, with a token for the rest, when they would pass
 * MAX_SEARCH_PAGE_BYTES.
 */
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
  const page = await executeSearch(search);
  const ids = await runsWithinPageBudget(access.project.id, page.ids);
  const nextPageToken = ids.length < page.ids.length ? pageTokenAfter(search.page, ids.length) : page.nextPageToken;
  const runs = await loadRunViews(access, ids);
  return { runs, ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
}
