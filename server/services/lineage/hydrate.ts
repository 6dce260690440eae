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
    const group = groups.get(kind);
    if (group) group.push(key.slice(colon + 1));
    else groups.set(kind, [key.slice(colon + 1)]);
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

  // Raw queries with array parameters: answers can name tens of thousands of nodes.
  const [datasets, runs, models, versions, jobs] = await Promise.all([
    ids("dataset").length === 0
      ? []
      : db().$queryRaw<{ id: string; name: string; digest: string; source: string }[]>`
          SELECT "id", "name", "digest", "source" FROM "DatasetVersion"
          WHERE "id" = ANY(${ids("dataset")}::text[]) AND "projectId" = ${projectId}`,
    ids("run").length === 0
      ? []
      : db().$queryRaw<{ id: string; name: string; status: string; experiment: string }[]>`
          SELECT r."id", r."name", r."status", e."name" AS experiment
          FROM "Run" r JOIN "Experiment" e ON e."id" = r."experimentId"
          WHERE r."id" = ANY(${ids("run")}::text[]) AND r."projectId" = ${projectId}`,
    ids("model").length === 0
      ? []
      : db().$queryRaw<{ id: string; name: string; sourceRunId: string | null }[]>`
          SELECT "id", "name", "sourceRunId" FROM "LoggedModel"
          WHERE "id" = ANY(${ids("model")}::text[]) AND "projectId" = ${projectId}`,
    ids("version").length === 0
      ? []
      : db().$queryRaw<{ id: string; version: number; stage: string; model: string; aliases: string[] }[]>`
          SELECT v."id", v."version", v."stage", m."name" AS model,
                 COALESCE((SELECT array_agg(a."alias" ORDER BY a."alias") FROM "ModelAlias" a WHERE a."versionId" = v."id"), '{}') AS aliases
          FROM "ModelVersion" v JOIN "RegisteredModel" m ON m."id" = v."modelId"
          WHERE v."id" = ANY(${ids("version")}::text[]) AND m."projectId" = ${projectId}`,
    ids("job").length === 0
      ? []
      : db().$queryRaw<{ id: string; state: string; namespace: string; name: string; origin: string }[]>`
          SELECT j."id", j."state", l."namespace", l."name", l."origin"
          FROM "LineageJobRun" j JOIN "LineageJob" l ON l."id" = j."jobId"
          WHERE j."id" = ANY(${ids("job")}::text[]) AND j."projectId" = ${projectId}`,
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
      detail: `${row.experiment} · ${row.status}`,
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
      id: formatVersionId(row.model, row.version),
      kind: "version",
      label: `${row.model} v${row.version}`,
      detail: row.stage === "None" ? null : row.stage,
      path: `/models/${enc(row.model)}/versions/${row.version}`,
    });
    const held: LineageHolder[] = row.aliases.map((alias) => ({ kind: "alias", name: alias }));
    if (HOLDING_STAGES.includes(row.stage)) held.push({ kind: "stage", name: row.stage });
    holders.set(
      key,
      held.map((holder) => ({ holder, node: holderNode(row.model, holder) })),
    );
  }
  for (const row of jobs) {
    nodes.set(`job:${row.id}`, {
      id: `job:${row.id}`,
      kind: "job",
      label: row.name,
      detail: `${row.origin === "dvc" ? "DVC stage" : row.namespace} · ${row.state}`,
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
