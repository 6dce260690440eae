import { badInput } from "@/lib/errors";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { compileExperimentSearch, executeSearch, type ViewType } from "../tracking-search";
import { ensureDefaultExperiment } from "./experiments";
import { experimentSelect, toExperimentView, type ExperimentView } from "./views";

/**
 * The internal keys of the project's experiments with these MLflow ids; ids that name no experiment
 * of the project are left out (a search over them finds nothing, as in MLflow).
 */
export async function experimentKeysOf(access: ProjectAccess, experimentIds: readonly string[]): Promise<string[]> {
  const numbers = experimentIds.map((id) => {
    if (!/^\d{1,9}$/.test(id)) throw badInput(`Invalid experiment id '${id}'`);
    return Number(id);
  });
  if (numbers.includes(0)) await ensureDefaultExperiment(access.project.id);
  const rows = await db().experiment.findMany({
    where: { projectId: access.project.id, number: { in: numbers } },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** experiments/search: the project's experiments matching the filter, in pages. */
export async function searchExperiments(
  access: ProjectAccess,
  input: { filter?: string; orderBy?: string[]; viewType: ViewType; maxResults: number; pageToken?: string },
): Promise<{ experiments: ExperimentView[]; next_page_token?: string }> {
  assertScope(access, "project:read");
  await ensureDefaultExperiment(access.project.id);
  const search = compileExperimentSearch({ projectId: access.project.id, ...input });
  const { ids, nextPageToken } = await executeSearch(search);
  const found = await db().experiment.findMany({ where: { id: { in: ids }, projectId: access.project.id }, select: experimentSelect });
  const byId = new Map(found.map((row) => [row.id, toExperimentView(row)]));
  return { experiments: ids.flatMap((id) => byId.get(id) ?? []), ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
}
