import type { ModelStage, RegistryEventKind } from "@/lib/model-registry-states";

export type { RegistryEventKind };

/** A registered model as Tally speaks of it; the MLflow edge maps it to its wire shape. */
export interface RegisteredModel {
  name: string;
  description: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  tags: Record<string, string>;
  /** Each alias with the version it points at, by alias name. */
  aliases: { alias: string; version: number }[];
  /** The highest version in each stage that has one. */
  latestVersions: ModelVersion[];
}

export interface ModelVersion {
  modelName: string;
  version: number;
  source: string;
  storageLocation: string;
  runId: string | null;
  loggedModelId: string | null;
  status: "READY";
  statusMessage: string | null;
  stage: ModelStage;
  description: string | null;
  runLink: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  tags: Record<string, string>;
  aliases: string[];
}

/** One entry of a model's history: what changed, who did it, before and after. */
export interface RegistryHistoryEntry {
  id: string;
  kind: RegistryEventKind;
  modelName: string;
  version: number | null;
  actorLabel: string;
  /** The promotion request the change was approved under, if any. */
  requestId: string | null;
  before: unknown;
  after: unknown;
  createdAt: Date;
}
