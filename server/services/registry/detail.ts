import { AppError } from "@/lib/errors";
import type { RunStatus } from "@/lib/tracking-states";
import type { ProjectAccess } from "../access";
import { getRunDetail } from "../runs";
import { modelHistory } from "./history";
import { getRegisteredModel } from "./models";
import { quotedSearchValue, searchModelVersions } from "./search";
import type { ModelVersion, RegisteredModel, RegistryHistoryEntry } from "./types";
import { getModelVersion } from "./versions";

/** A version's source run, as the version page shows it. */
export interface SourceRunSummary {
  runId: string;
  name: string;
  status: RunStatus;
  lifecycleStage: string;
  experimentId: string;
  /** The run's latest metric values, by key (at most 12). */
  metrics: { key: string; value: number; step: number }[];
}

const MAX_SUMMARY_METRICS = 12;
/** The model page lists this many versions, newest first. */
const MAX_PAGE_VERSIONS = 500;

/** A model with its versions (newest first) and its history (newest first): what the model page shows. */
export async function registeredModelDetail(
  access: ProjectAccess,
  name: string,
): Promise<{ model: RegisteredModel; versions: ModelVersion[]; history: RegistryHistoryEntry[] }> {
  const model = await getRegisteredModel(access, name);
  const [{ versions }, history] = await Promise.all([
    searchModelVersions(access, { filter: `name = ${quotedSearchValue(name)}`, orderBy: ["version_number DESC"], maxResults: MAX_PAGE_VERSIONS }),
    modelHistory(access, name),
  ]);
  return { model, versions, history };
}

/** A version with a summary of its source run; `sourceRun` is null when it names no run of this project. */
export async function modelVersionDetail(
  access: ProjectAccess,
  name: string,
  version: number,
): Promise<{ version: ModelVersion; sourceRun: SourceRunSummary | null }> {
  const found = await getModelVersion(access, name, version);
  if (!found.runId) return { version: found, sourceRun: null };
  try {
    const { run } = await getRunDetail(access, found.runId);
    return {
      version: found,
      sourceRun: {
        runId: run.id,
        name: run.name,
        status: run.status,
        lifecycleStage: run.lifecycleStage,
        experimentId: run.experimentId,
        metrics: [...run.metrics]
          .sort((a, b) => a.key.localeCompare(b.key))
          .slice(0, MAX_SUMMARY_METRICS)
          .map(({ key, value, step }) => ({ key, value, step })),
      },
    };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return { version: found, sourceRun: null };
    throw error;
  }
}
