import { badInput, conflict, notFound } from "@/lib/errors";
import { lifecycleTransition, type LifecycleStage } from "@/lib/tracking-states";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";
import {
  DEFAULT_EXPERIMENT_NUMBER,
  ensureDefaultExperiment,
  experimentArtifactRoot,
  experimentOfProject,
  experimentSelect,
  findExperiment,
  toExperiment,
} from "./internal";
import type { Experiment } from "./types";

export async function getExperiment(access: ProjectAccess, experimentId: string): Promise<Experiment> {
  assertScope(access, "project:read");
  return toExperiment(await findExperiment(access, experimentId));
}

export async function getExperimentByName(access: ProjectAccess, name: string): Promise<Experiment> {
  assertScope(access, "project:read");
  const experiment = await experimentOfProject(access.project.id, { name });
  if (!experiment) throw notFound(`Could not find experiment with name '${name}'`);
  return toExperiment(experiment);
}

function validateArtifactLocation(location: string): void {
  if (location.startsWith("runs:")) throw badInput("artifact_location cannot be a runs:/ URI");
  if (location.split(/[\\/]/).includes("..") || /%2e%2e/i.test(location)) {
    throw badInput("artifact_location must not contain '..'");
  }
}

export async function createExperiment(
  access: ProjectAccess,
  input: { name: string; artifactLocation?: string; tags: { key: string; value: string }[] },
): Promise<Experiment> {
  assertScope(access, "runs:write");
  if (input.artifactLocation) validateArtifactLocation(input.artifactLocation);
  await ensureDefaultExperiment(access.project.id);
  return transaction(async (tx) => {
    // The project row lock serializes experiment numbering within the project.
    await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${access.project.id} FOR UPDATE`;
    const existing = await tx.experiment.findUnique({
      where: { projectId_name: { projectId: access.project.id, name: input.name } },
      select: { lifecycleStage: true },
    });
    if (existing) {
      const state = existing.lifecycleStage === "deleted" ? " (deleted; restore it or choose another name)" : "";
      throw conflict(`Experiment '${input.name}' already exists${state}`);
    }
    const number = await nextExperimentNumber(tx, access.project.id);
    const now = BigInt(Date.now());
    const created = await tx.experiment.create({
      data: {
        projectId: access.project.id,
        number,
        name: input.name,
        artifactLocation: input.artifactLocation ?? experimentArtifactRoot(number),
        creationTime: now,
        lastUpdateTime: now,
        tags: { create: dedupeTags(input.tags) },
      },
      select: experimentSelect,
    });
    return toExperiment(created);
  });
}

async function nextExperimentNumber(tx: Tx, projectId: string): Promise<number> {
  const last = await tx.experiment.aggregate({ where: { projectId }, _max: { number: true } });
  return (last._max.number ?? DEFAULT_EXPERIMENT_NUMBER) + 1;
}

/** Later values win, as when MLflow applies tags one by one. */
function dedupeTags(tags: { key: string; value: string }[]) {
  return [...new Map(tags.map((tag) => [tag.key, tag])).values()];
}

export async function renameExperiment(access: ProjectAccess, experimentId: string, newName: string): Promise<void> {
  assertScope(access, "runs:write");
  const experiment = await findExperiment(access, experimentId);
  if (experiment.name === newName) return;
  await transaction(async (tx) => {
    const taken = await tx.experiment.findUnique({
      where: { projectId_name: { projectId: access.project.id, name: newName } },
      select: { id: true },
    });
    if (taken) throw conflict(`Experiment '${newName}' already exists`);
    await tx.experiment.update({
      where: { id: experiment.id },
      data: { name: newName, lastUpdateTime: BigInt(Date.now()) },
    });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "experiment.rename",
      resourceType: "experiment",
      resourceId: experimentId,
      actorRole: access.roleSnapshot,
      before: { name: experiment.name },
      after: { name: newName },
    });
  });
}

/** Soft delete or restore; the experiment's runs follow it (MLflow semantics). */
export async function setExperimentLifecycle(
  access: ProjectAccess,
  experimentId: string,
  stage: LifecycleStage,
): Promise<void> {
  assertScope(access, "runs:delete");
  const experiment = await findExperiment(access, experimentId);
  if (experiment.number === DEFAULT_EXPERIMENT_NUMBER && stage === "deleted") {
    throw badInput("The Default experiment cannot be deleted");
  }
  const now = BigInt(Date.now());
  const change = lifecycleTransition(experiment.lifecycleStage, stage, now);
  // The runs in the other stage follow the experiment, by the same rule.
  const runsFrom: LifecycleStage = stage === "deleted" ? "active" : "deleted";
  const runChange = lifecycleTransition(runsFrom, stage, now);
  await transaction(async (tx) => {
    await tx.experiment.update({ where: { id: experiment.id }, data: { lifecycleStage: change.lifecycleStage, lastUpdateTime: now } });
    await tx.run.updateMany({
      where: { experimentId: experiment.id, lifecycleStage: runsFrom },
      data: { lifecycleStage: runChange.lifecycleStage, deletedTime: runChange.deletedTime },
    });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: `experiment.${change.verb}`,
      resourceType: "experiment",
      resourceId: experimentId,
      actorRole: access.roleSnapshot,
      before: { lifecycleStage: experiment.lifecycleStage },
      after: { lifecycleStage: stage },
    });
  });
}

export async function setExperimentTag(
  access: ProjectAccess,
  experimentId: string,
  tag: { key: string; value: string },
): Promise<void> {
  assertScope(access, "runs:write");
  const experiment = await findExperiment(access, experimentId);
  if (experiment.lifecycleStage !== "active") throw badInput(`Experiment ${experimentId} is deleted`);
  await db().experimentTag.upsert({
    where: { experimentId_key: { experimentId: experiment.id, key: tag.key } },
    update: { value: tag.value },
    create: { experimentId: experiment.id, key: tag.key, value: tag.value },
  });
}

export async function deleteExperimentTag(access: ProjectAccess, experimentId: string, key: string): Promise<void> {
  assertScope(access, "runs:write");
  const experiment = await findExperiment(access, experimentId);
  const deleted = await db().experimentTag.deleteMany({ where: { experimentId: experiment.id, key } });
  if (deleted.count === 0) throw notFound(`No tag with key '${key}' on experiment ${experimentId}`);
}
