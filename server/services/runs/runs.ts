import { randomBytes } from "node:crypto";
import { badInput, notFound } from "@/lib/errors";
import { lifecycleTransition, runStatusTransition, type LifecycleStage, type RunStatus } from "@/lib/tracking-states";
import { db } from "@/server/db/client";
import { transaction } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";
import { findExperiment } from "../experiments/internal";
import { generateRunName } from "./run-names";
import { findRun, loadRuns, runInfoSelect, toRunInfo } from "./internal";
import type { Run, RunInfo } from "./types";

export const RUN_NAME_TAG = "mlflow.runName";
export const PARENT_RUN_TAG = "mlflow.parentRunId";

export function assertActive(run: { id: string; lifecycleStage: string }): void {
  if (run.lifecycleStage !== "active") {
    throw badInput(`The run ${run.id} must be in the 'active' state. Current state is ${run.lifecycleStage}.`);
  }
}

export async function createRun(
  access: ProjectAccess,
  input: {
    experimentId: string;
    userId?: string;
    startTime?: number;
    runName?: string;
    tags: { key: string; value: string }[];
  },
): Promise<Run> {
  assertScope(access, "runs:write");
  const experiment = await findExperiment(access, input.experimentId);
  if (experiment.lifecycleStage !== "active") {
    throw badInput(`The experiment ${input.experimentId} must be in the 'active' state. Current state is deleted.`);
  }
  const tags = new Map(input.tags.map((tag) => [tag.key, tag.value]));
  const tagName = tags.get(RUN_NAME_TAG);
  if (input.runName && tagName !== undefined && tagName !== input.runName) {
    throw badInput(
      `Both 'run_name' ('${input.runName}') and the '${RUN_NAME_TAG}' tag ('${tagName}') were given and they differ`,
    );
  }
  const name = input.runName || tagName || generateRunName();
  tags.set(RUN_NAME_TAG, name);
  const id = randomBytes(16).toString("hex");
  const parentRunId = tags.get(PARENT_RUN_TAG);
  if (parentRunId) await findRun(access, parentRunId);
  await db().run.create({
    data: {
      id,
      projectId: access.project.id,
      experimentId: experiment.id,
      name,
      userId: input.userId ?? "",
      startTime: BigInt(input.startTime ?? Date.now()),
      artifactUri: `${experiment.artifactLocation.replace(/\/$/, "")}/${id}/artifacts`,
      parentRunId: parentRunId ?? null,
      tags: { create: [...tags].map(([key, value]) => ({ key, value })) },
    },
  });
  return getRun(access, id);
}

export async function getRun(access: ProjectAccess, runId: string): Promise<Run> {
  assertScope(access, "project:read");
  const [run] = await loadRuns(access, [runId]);
  if (!run) throw notFound(`Run with id=${runId} not found`);
  return run;
}

export async function updateRun(
  access: ProjectAccess,
  input: { runId: string; status?: RunStatus; endTime?: number; runName?: string },
): Promise<RunInfo> {
  assertScope(access, "runs:write");
  const run = await findRun(access, input.runId);
  assertActive(run);
  return transaction(async (tx) => {
    const updated = await tx.run.update({
      where: { id: run.id },
      data: {
        ...runStatusTransition(run.status, input),
        ...(input.runName ? { name: input.runName } : {}),
      },
      select: runInfoSelect,
    });
    if (input.runName) {
      await tx.runTag.upsert({
        where: { runId_key: { runId: run.id, key: RUN_NAME_TAG } },
        update: { value: input.runName },
        create: { runId: run.id, key: RUN_NAME_TAG, value: input.runName },
      });
    }
    return toRunInfo(updated);
  });
}

export async function setRunLifecycle(access: ProjectAccess, runId: string, stage: LifecycleStage): Promise<void> {
  assertScope(access, "runs:delete");
  const run = await findRun(access, runId);
  const change = lifecycleTransition(run.lifecycleStage, stage, BigInt(Date.now()));
  await transaction(async (tx) => {
    await tx.run.update({
      where: { id: run.id },
      data: { lifecycleStage: change.lifecycleStage, deletedTime: change.deletedTime },
    });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: `run.${change.verb}`,
      resourceType: "run",
      resourceId: run.id,
      actorRole: access.roleSnapshot,
      before: { lifecycleStage: run.lifecycleStage },
      after: { lifecycleStage: stage },
    });
  });
}
