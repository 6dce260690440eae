import type { Tx } from "@/server/db/transaction";
import type { ProjectAccess } from "../access";
import { recordRegistryEvent } from "./history";
import { findModelRow, findVersionRow } from "./load";
import type { RegistryEventKind } from "./types";

/**
 * Unguarded reads and writes of registry rows for other services (model cards), which check the
 * caller's scope themselves; edges reach the registry only through its index.
 */

/** A registered model, or one of its versions, by name: what cards and other features attach to. */
export interface RegistryTarget {
  modelName: string;
  version?: number;
}

/** The rows behind a target, in the caller's project (NOT_FOUND otherwise); `lock` serializes changes to the model. */
export async function resolveRegistryTarget(tx: Tx, access: ProjectAccess, target: RegistryTarget, lock = false) {
  const model = await findModelRow(tx, access.project.id, target.modelName, lock);
  const version = target.version === undefined ? null : await findVersionRow(tx, model, target.version);
  return { modelId: model.id, modelName: model.name, versionId: version?.id ?? null, version: version?.version ?? null };
}

/** A change to something attached to a model or version, in the model's history and the audit log. */
export function recordRegistryChange(
  tx: Tx,
  access: ProjectAccess,
  resolved: Awaited<ReturnType<typeof resolveRegistryTarget>>,
  kind: RegistryEventKind,
  before: unknown,
  after: unknown,
): Promise<void> {
  return recordRegistryEvent(tx, access, {
    model: { id: resolved.modelId, name: resolved.modelName },
    version: resolved.version ?? undefined,
    kind,
    before,
    after,
  });
}
