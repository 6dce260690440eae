import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { compileExperimentSearch, type ViewType } from "../tracking-search";
import { executeSearch } from "../tracking-search/internal";
import { ensureDefaultExperiment, experimentSelect, toExperiment } from "./internal";
import type { Experiment } from "./types";

/** experiments/search: the project's experiments matching the filter, in pages. */
export async function searchExperiments(
  access: ProjectAccess,
  input: { filter?: string; orderBy?: string[]; viewType: ViewType; maxResults: number; pageToken?: string },
): Promise<{ experiments: Experiment[]; nextPageToken?: string }> {
  assertScope(access, "project:read");
  await ensureDefaultExperiment(access.project.id);
  const search = compileExperimentSearch({ projectId: access.project.id, ...input });
  const { ids, nextPageToken } = await executeSearch(search);
  const found = await db().experiment.findMany({ where: { id: { in: ids }, projectId: access.project.id }, select: experimentSelect });
  const byId = new Map(found.map((row) => [row.id, toExperiment(row)]));
  return { experiments: ids.flatMap((id) => byId.get(id) ?? []), ...(nextPageToken ? { nextPageToken } : {}) };
}
