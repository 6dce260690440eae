import { db } from "@/server/db/client";
import { sourceLocation } from "../datasets";
import { formatDatasetId, formatVersionId } from "./node-ids";
import type { LineageHolder, LineageNode } from "./types";

/** A stored node as people see it, before it is placed in a walk (depth is the walk's). */
export type NodeFacts = Omit<LineageNode, "depth">;

export interface Hydrated {
  /** By stored key; keys whose row is gone (deleted since the edge was read) are left out. */
  nodes: Map<string, NodeFacts>;
  /** By model version key: the aliases and stages on it now, and their graph nodes. */
  holders: Map<string, { holder: LineageHolder; node: NodeFacts }[]>;
}

/** Stages that mean a version is in use; None and Archived do not. */
const HOLDING_STAGES = ["Staging", "Production"];

function byKind(keys: Iterable<string>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const colon = key.indexOf(":");
    const kind = key.slice(0, colon);
    groups.set(kind, [...(groups.get(kind) ?? []), key.slice(colon + 1)]);
  }
  return groups;
}

const enc = encodeURIComponent;

/** Labels, details and page paths for stored keys, one query per node kind present. */
export async function hydrate(projectId: string, keys: Iterable<string>): Promise<Hydrated> {
  const groups = byKind(keys);
  const nodes = new Map<string, NodeFacts>();
  const holders: Hydrated["holders"] = new Map();
  const ids = (kind: string) => groups.get(kind) ?? [];

  const [datasets, runs, models, versions, jobs] = await Promise.all([
    ids("dataset").length === 0
      ? []
      : db().datasetVersion.findMany({
          where: { id: { in: ids("dataset") }, projectId },
          select: { id: true, name: true, digest: true, source: true, origin: true },
        }),
    ids("run").length === 0
      ? []
      : db().run.findMany({
          where: { id: { in: ids("run") }, projectId },
          select: { id: true, name: true, status: true, experiment: { select: { name: true } } },
        }),
    ids("model").length === 0
      ? []
      : db().loggedModel.findMany({
          where: { id: { in: ids("model") }, projectId },
          select: { id: true, name: true, sourceRunId: true },
        }),
    ids("version").length === 0
      ? []
      : db().modelVersion.findMany({
          where: { id: { in: ids("version") }, model: { projectId } },
          select: {
            id: true,
            version: true,
            stage: true,
            model: { select: { name: true } },
            aliases: { select: { alias: true }, orderBy: { alias: "asc" } },
          },
        }),
    ids("job").length === 0
      ? []
      : db().lineageJobRun.findMany({
          where: { id: { in: ids("job") }, projectId },
          select: { id: true, state: true, job: { select: { namespace: true, name: true, origin: true } } },
        }),
  ]);

  for (const row of datasets) {
    nodes.set(`dataset:${row.id}`, {
      id: formatDatasetId(row.name, row.digest),
      kind: "dataset",
      label: row.name,
      detail: `${row.digest.slice(0, 12)} · ${sourceLocation(row.source)}`,
      path: `/datasets/${enc(row.name)}?digest=${enc(row.digest)}`,
    });
  }
  for (const row of runs) {
    nodes.set(`run:${row.id}`, {
      id: `run:${row.id}`,
      kind: "run",
      label: row.name || row.id.slice(0, 8),
      detail: `${row.experiment.name} · ${row.status}`,
      path: `/runs/${row.id}`,
    });
  }
  for (const row of models) {
    nodes.set(`model:${row.id}`, {
      id: `model:${row.id}`,
      kind: "model",
      label: row.name,
      detail: row.id,
      // Logged models have no page of their own; their run's page lists them.
      path: row.sourceRunId ? `/runs/${row.sourceRunId}` : null,
    });
  }
  for (const row of versions) {
    const key = `version:${row.id}`;
    nodes.set(key, {
      id: formatVersionId(row.model.name, row.version),
      kind: "version",
      label: `${row.model.name} v${row.version}`,
      detail: row.stage === "None" ? null : row.stage,
      path: `/models/${enc(row.model.name)}/versions/${row.version}`,
    });
    const held: LineageHolder[] = row.aliases.map(({ alias }) => ({ kind: "alias", name: alias }));
    if (HOLDING_STAGES.includes(row.stage)) held.push({ kind: "stage", name: row.stage });
    holders.set(
      key,
      held.map((holder) => ({ holder, node: holderNode(row.model.name, holder) })),
    );
  }
  for (const row of jobs) {
    nodes.set(`job:${row.id}`, {
      id: `job:${row.id}`,
      kind: "job",
      label: row.job.name,
      detail: `${row.job.origin === "dvc" ? "DVC stage" : row.job.namespace} · ${row.state}`,
      path: null,
    });
  }
  return { nodes, holders };
}

/** The graph node for an alias or stage a version holds; both are shown on the model's page. */
function holderNode(modelName: string, holder: LineageHolder): NodeFacts {
  return {
    id: holder.kind === "alias" ? `alias:${modelName}@${holder.name}` : `stage:${modelName}/${holder.name}`,
    kind: holder.kind,
    label: holder.name,
    detail: modelName,
    path: `/models/${enc(modelName)}`,
  };
}
