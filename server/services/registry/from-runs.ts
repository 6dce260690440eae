import { AppError, badInput } from "@/lib/errors";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { findRun } from "../runs/internal";
import { createRegisteredModel, getRegisteredModel } from "./models";
import { quotedSearchValue, searchModelVersions } from "./search";
import { createModelVersion } from "./versions";
import type { ModelVersion } from "./types";

/** The registry as seen from a run: the models it logged and the versions registered from it. */
export interface RunRegistry {
  loggedModels: { modelId: string; name: string; status: string }[];
  versions: ModelVersion[];
}

const MAX_RUN_VERSIONS = 200;

async function runLoggedModels(access: ProjectAccess, runId: string) {
  return db().loggedModel.findMany({
    where: {
      projectId: access.project.id,
      lifecycleStage: "active",
      OR: [{ sourceRunId: runId }, { outputs: { some: { runId } } }],
    },
    select: { id: true, name: true, status: true },
    orderBy: [{ creationTime: "asc" }, { id: "asc" }],
  });
}

export async function runRegistry(access: ProjectAccess, runId: string): Promise<RunRegistry> {
  assertScope(access, "project:read");
  await findRun(access, runId);
  const [models, { versions }] = await Promise.all([
    runLoggedModels(access, runId),
    searchModelVersions(access, { filter: `run_id = ${quotedSearchValue(runId)}`, maxResults: MAX_RUN_VERSIONS }),
  ]);
  return { loggedModels: models.map((model) => ({ modelId: model.id, name: model.name, status: model.status })), versions };
}

/**
 * Registers one of a run's logged models as a new version of `name`, creating the registered model
 * first when there is none of that name.
 */
export async function registerLoggedModel(
  access: ProjectAccess,
  input: { runId: string; loggedModelId: string; name: string },
): Promise<ModelVersion> {
  assertScope(access, "registry:write");
  await findRun(access, input.runId);
  const models = await runLoggedModels(access, input.runId);
  if (!models.some((model) => model.id === input.loggedModelId)) {
    throw badInput(`Logged model ${input.loggedModelId} is not a model of run ${input.runId}`);
  }
  try {
    await getRegisteredModel(access, input.name);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "NOT_FOUND") throw error;
    try {
      await createRegisteredModel(access, { name: input.name });
    } catch (createError) {
      // Someone else created it meanwhile: register into theirs.
      if (!(createError instanceof AppError) || createError.code !== "CONFLICT") throw createError;
    }
  }
  return createModelVersion(access, input.name, {
    source: `models:/${input.loggedModelId}`,
    runId: input.runId,
    loggedModelId: input.loggedModelId,
  });
}
