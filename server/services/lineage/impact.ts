import { badInput, notFound } from "@/lib/errors";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { hydrate } from "./hydrate";
import { naturalOrderKey } from "./natural-order";
import { MAX_DEPTH, nearestFirst, pathTo, walk } from "./traverse";
import type { ImpactItem, ImpactResult, ImpactSource, LineageNode } from "./types";


/** MLflow's tag for the commit a run's code was at. */
const GIT_COMMIT_TAG = "mlflow.source.git.commit";

/** Stored keys the impact query starts from; NOT_FOUND when nothing in the project matches. */
async function sourceKeys(projectId: string, source: ImpactSource): Promise<string[]> {
  switch (source.kind) {
    case "dataset": {
      const rows = await db().datasetVersion.findMany({
        where: { projectId, name: source.name, ...(source.digest ? { digest: source.digest } : {}) },
        select: { id: true },
      });
      if (rows.length === 0) {
        throw notFound(`No dataset ${source.name}${source.digest ? ` with digest ${source.digest}` : ""} in this project`);
      }
      return rows.map((row) => `dataset:${row.id}`);
    }
    case "commit": {
      if (!/^[0-9a-f]{4,64}$/i.test(source.commit)) throw badInput("commit: expected a git commit hash (4 to 64 hex digits)");
      // A prefix, as git accepts one: the tag holds the full hash.
      const rows = await db().$queryRaw<{ id: string }[]>`
        SELECT r."id" FROM "RunTag" t JOIN "Run" r ON r."id" = t."runId"
        WHERE t."key" = ${GIT_COMMIT_TAG} AND r."projectId" = ${projectId}
          AND t."value" LIKE ${source.commit.toLowerCase()} || '%'`;
      if (rows.length === 0) throw notFound(`No run in this project recorded git commit ${source.commit}`);
      return rows.map((row) => `run:${row.id}`);
    }
    case "model": {
      const row = await db().loggedModel.findFirst({ where: { id: source.modelId, projectId }, select: { id: true } });
      if (!row) throw notFound(`No logged model ${source.modelId} in this project`);
      return [`model:${row.id}`];
    }
  }
}

/**
 * Everything that depends on a dataset (all its versions, or one digest), a git commit or a logged
 * model: runs, logged models and model versions downstream, each with the shortest path to it and,
 * for versions, the aliases and stages they hold now.
 */
export async function lineageImpact(access: ProjectAccess, source: ImpactSource, depth = MAX_DEPTH): Promise<ImpactResult> {
  assertScope(access, "project:read");
  const projectId = access.project.id;
  const starts = await sourceKeys(projectId, source);
  const { reached, truncated } = await walk(projectId, starts, "downstream", depth);
  const { nodes, holders } = await hydrate(projectId, reached.keys());

  const result: ImpactResult = { sources: [], runs: [], loggedModels: [], modelVersions: [], other: [], holding: 0, truncated };
  // Groups are sorted by name below; only the few start nodes keep the walk's order.
  const sources = [...reached.values()].filter((entry) => entry.depth === 0).sort(nearestFirst);
  for (const entry of sources) {
    const facts = nodes.get(entry.key);
    if (facts) result.sources.push({ ...facts, depth: 0 });
  }
  for (const entry of reached.values()) {
    const facts = nodes.get(entry.key);
    if (!facts || entry.depth === 0) continue;
    const node: LineageNode = { ...facts, depth: entry.depth };
    const item: ImpactItem = {
      node,
      path: pathTo(reached, entry.key).map((key) => nodes.get(key)?.id ?? key),
      holders: (holders.get(entry.key) ?? []).map(({ holder }) => holder),
    };
    if (node.kind === "run") result.runs.push(item);
    else if (node.kind === "model") result.loggedModels.push(item);
    else if (node.kind === "version") {
      result.modelVersions.push(item);
      if (item.holders.length > 0) result.holding += 1;
    } else result.other.push(item);
  }
  // Within each group people scan by name: "fraud v2" before "fraud v10".
  for (const group of [result.runs, result.loggedModels, result.modelVersions, result.other]) sortByName(group);
  return result;
}

/**
 * By label in natural order, then by id. Label keys are built once per item (a collator per
 * comparison is too slow for 10,000 runs); id keys only for the items whose labels tie.
 */
function sortByName(items: ImpactItem[]): void {
  const keyed = items.map((item) => ({ item, label: naturalOrderKey(item.node.label), id: undefined as string | undefined }));
  const idKey = (entry: (typeof keyed)[number]) => (entry.id ??= naturalOrderKey(entry.item.node.id));
  keyed.sort((a, b) => compareKeys(a.label, b.label) || compareKeys(idKey(a), idKey(b)));
  keyed.forEach(({ item }, index) => (items[index] = item));
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
