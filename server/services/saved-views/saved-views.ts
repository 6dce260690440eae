import { badInput } from "@/lib/errors";
import { runsTableStateSchema, type RunsTableState } from "@/lib/schemas/runs-table";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { findExperiment } from "../experiments/internal";
import { parseFilter, parseOrderBy } from "../tracking-search";

/**
 * Saved run views (a runs-table state under a name) are personal: each user saves their own per experiment, and reading the project is
 * all it takes (a viewer may keep views too). Nobody sees another user's views.
 */

export const MAX_SAVED_VIEWS_PER_EXPERIMENT = 50;

export interface SavedRunView {
  name: string;
  state: RunsTableState;
  updatedAt: Date;
}

function viewerOf(access: ProjectAccess): string {
  assertScope(access, "project:read");
  if (access.actor.type !== "USER") throw badInput("Saved views belong to signed-in users");
  return access.actor.userId;
}

export async function listSavedRunViews(access: ProjectAccess, experimentId: string): Promise<SavedRunView[]> {
  const userId = viewerOf(access);
  const experiment = await findExperiment(access, experimentId);
  const rows = await db().savedRunView.findMany({
    where: { userId, experimentId: experiment.id },
    orderBy: { name: "asc" },
    select: { name: true, state: true, updatedAt: true },
  });
  // Rows were validated when saved; parsing again keeps the type honest if the shape ever changes.
  return rows.flatMap((row) => {
    const state = runsTableStateSchema.safeParse(row.state);
    return state.success ? [{ name: row.name, state: state.data, updatedAt: row.updatedAt }] : [];
  });
}

/** Creates the view or replaces the one of the same name. A filter or sort that would not run is refused. */
export async function saveSavedRunView(
  access: ProjectAccess,
  input: { experimentId: string; name: string; state: RunsTableState },
): Promise<SavedRunView> {
  const userId = viewerOf(access);
  parseFilter(input.state.filter, "run");
  parseOrderBy(input.state.orderBy, "run");
  const experiment = await findExperiment(access, input.experimentId);
  const where = { userId_experimentId_name: { userId, experimentId: experiment.id, name: input.name } };
  const existing = await db().savedRunView.findUnique({ where, select: { id: true } });
  if (!existing) {
    const count = await db().savedRunView.count({ where: { userId, experimentId: experiment.id } });
    if (count >= MAX_SAVED_VIEWS_PER_EXPERIMENT) {
      throw badInput(`You already have ${MAX_SAVED_VIEWS_PER_EXPERIMENT} saved views here; delete one first`);
    }
  }
  const saved = await db().savedRunView.upsert({
    where,
    create: { userId, experimentId: experiment.id, name: input.name, state: input.state },
    update: { state: input.state },
    select: { name: true, updatedAt: true },
  });
  return { ...saved, state: input.state };
}

/** Deleting a view that does not exist succeeds: the outcome the user wanted already holds. */
export async function deleteSavedRunView(access: ProjectAccess, input: { experimentId: string; name: string }): Promise<void> {
  const userId = viewerOf(access);
  const experiment = await findExperiment(access, input.experimentId);
  await db().savedRunView.deleteMany({ where: { userId, experimentId: experiment.id, name: input.name } });
}
