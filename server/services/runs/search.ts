import { assertScope, type ProjectAccess } from "../access";
import { experimentKeysOf } from "../experiments";
import { compileRunSearch, executeSearch, type ViewType } from "../tracking-search";
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
  const page = await executeSearch(search);
  const runs = await loadRunViews(access, page.ids);
  return { runs, ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
}
