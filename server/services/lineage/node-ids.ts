import { badInput, notFound } from "@/lib/errors";
import { db } from "@/server/db/client";
import type { LineageNodeKind } from "./types";

/**
 * A node named the way the API names it (types.ts). Datasets and model versions are named by what
 * people know (name and digest, model and version number); the graph stores internal keys.
 */
export type NodeRef =
  | { kind: "dataset"; name: string; digest: string }
  | { kind: "run"; runId: string }
  | { kind: "model"; modelId: string }
  | { kind: "version"; modelName: string; version: number }
  | { kind: "job"; jobRunId: string }
  | { kind: "alias"; modelName: string; alias: string }
  | { kind: "stage"; modelName: string; stage: string };

const KINDS: readonly LineageNodeKind[] = ["dataset", "run", "model", "version", "job", "alias", "stage"];

/** Splits at the last separator: dataset and model names may contain it, digests and versions never do. */
function splitLast(text: string, separator: string, what: string): [string, string] {
  const at = text.lastIndexOf(separator);
  if (at <= 0 || at === text.length - 1) throw badInput(`node: ${what}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

export function parseNodeId(id: string): NodeRef {
  const colon = id.indexOf(":");
  const kind = id.slice(0, colon) as LineageNodeKind;
  const rest = id.slice(colon + 1);
  if (colon <= 0 || !KINDS.includes(kind) || rest.length === 0) {
    throw badInput(`node: expected <kind>:<id> with kind one of ${KINDS.join(", ")}, got "${id}"`);
  }
  switch (kind) {
    case "dataset": {
      const [name, digest] = splitLast(rest, "@", "a dataset version is dataset:<name>@<digest>");
      return { kind, name, digest };
    }
    case "version": {
      const [modelName, version] = splitLast(rest, "/", "a model version is version:<model name>/<version>");
      if (!/^[1-9]\d{0,8}$/.test(version)) throw badInput(`node: "${version}" is not a version number`);
      return { kind, modelName, version: Number(version) };
    }
    case "alias": {
      const [modelName, alias] = splitLast(rest, "@", "an alias is alias:<model name>@<alias>");
      return { kind, modelName, alias };
    }
    case "stage": {
      const [modelName, stage] = splitLast(rest, "/", "a stage is stage:<model name>/<stage>");
      return { kind, modelName, stage };
    }
    case "run":
      return { kind, runId: rest };
    case "model":
      return { kind, modelId: rest };
    case "job":
      return { kind, jobRunId: rest };
  }
}

export function formatDatasetId(name: string, digest: string): string {
  return `dataset:${name}@${digest}`;
}

export function formatVersionId(modelName: string, version: number): string {
  return `version:${modelName}/${version}`;
}

function missing(id: string): never {
  throw notFound(`No lineage node ${id} in this project`);
}

/** The stored keys a node stands for in this project; NOT_FOUND when it is not there. */
export async function resolveNode(projectId: string, ref: NodeRef, id: string): Promise<string[]> {
  switch (ref.kind) {
    case "dataset": {
      const row = await db().datasetVersion.findUnique({
        where: { projectId_name_digest: { projectId, name: ref.name, digest: ref.digest } },
        select: { id: true },
      });
      return row ? [`dataset:${row.id}`] : missing(id);
    }
    case "run": {
      const row = await db().run.findFirst({ where: { id: ref.runId, projectId }, select: { id: true } });
      return row ? [`run:${row.id}`] : missing(id);
    }
    case "model": {
      const row = await db().loggedModel.findFirst({ where: { id: ref.modelId, projectId }, select: { id: true } });
      return row ? [`model:${row.id}`] : missing(id);
    }
    case "job": {
      const row = await db().lineageJobRun.findFirst({ where: { id: ref.jobRunId, projectId }, select: { id: true } });
      return row ? [`job:${row.id}`] : missing(id);
    }
    case "version": {
      const row = await db().modelVersion.findFirst({
        where: { version: ref.version, model: { projectId, name: ref.modelName } },
        select: { id: true },
      });
      return row ? [`version:${row.id}`] : missing(id);
    }
    case "alias": {
      const row = await db().modelAlias.findFirst({
        where: { alias: ref.alias, model: { projectId, name: ref.modelName } },
        select: { versionId: true },
      });
      return row ? [`version:${row.versionId}`] : missing(id);
    }
    case "stage": {
      const rows = await db().modelVersion.findMany({
        where: { stage: ref.stage, model: { projectId, name: ref.modelName } },
        select: { id: true },
      });
      return rows.length > 0 ? rows.map((row) => `version:${row.id}`) : missing(id);
    }
  }
}
