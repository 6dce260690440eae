import type { ProjectAccess } from "../access";
import type { Run } from "../runs";
import { loadRuns } from "../runs/internal";
import type { ModelVersion } from "./types";
import { getModelVersion } from "./versions";

/** MLflow's tag on a dataset input saying what it was used for (`training`, `eval`…). */
const CONTEXT_TAG = "mlflow.data.context";

export interface ComparedVersion {
  version: number;
  stage: ModelVersion["stage"];
  runId: string | null;
  /** The source run's name; null when the version names no run of this project. */
  runName: string | null;
}

export interface VersionComparison {
  /** The version asked about, then the other one. */
  versions: [ComparedVersion, ComparedVersion];
  /** A row per param key of either run: a value per version (null where its run lacks it). */
  params: { key: string; values: [string | null, string | null]; differs: boolean }[];
  /** A row per metric key: each run's latest value. */
  metrics: { key: string; values: [number | null, number | null]; differs: boolean }[];
  /** Each run's dataset inputs. */
  datasets: [ComparedDataset[], ComparedDataset[]];
}

export interface ComparedDataset {
  name: string;
  digest: string;
  context: string | null;
  sourceType: string;
}

function datasetsOf(run: Run | undefined): ComparedDataset[] {
  return (run?.datasetInputs ?? []).map(({ dataset, tags }) => ({
    name: dataset.name,
    digest: dataset.digest,
    context: tags.find((tag) => tag.key === CONTEXT_TAG)?.value ?? null,
    sourceType: dataset.sourceType,
  }));
}

function rows<T>(runs: [Run | undefined, Run | undefined], entries: (run: Run) => { key: string; value: T }[]) {
  const keys = [...new Set(runs.flatMap((run) => (run ? entries(run).map((entry) => entry.key) : [])))].sort();
  return keys.map((key) => {
    const values = runs.map((run) => (run ? (entries(run).find((entry) => entry.key === key)?.value ?? null) : null)) as [T | null, T | null];
    return { key, values, differs: !Object.is(values[0], values[1]) };
  });
}

/**
 * Two versions of one model side by side: their source runs' params, latest metrics and dataset
 * inputs. A version whose run is gone (or was never named) has empty columns.
 */
export async function compareModelVersions(access: ProjectAccess, name: string, version: number, other: number): Promise<VersionComparison> {
  const [first, second] = await Promise.all([getModelVersion(access, name, version), getModelVersion(access, name, other)]);
  const runIds = [...new Set([first.runId, second.runId].flatMap((id) => (id ? [id] : [])))];
  const found = new Map((await loadRuns(access, runIds)).map((run) => [run.id, run]));
  const runs: [Run | undefined, Run | undefined] = [
    first.runId ? found.get(first.runId) : undefined,
    second.runId ? found.get(second.runId) : undefined,
  ];
  const summary = (found: ModelVersion, run: Run | undefined): ComparedVersion => ({
    version: found.version,
    stage: found.stage,
    runId: found.runId,
    runName: run ? run.name : null,
  });
  return {
    versions: [summary(first, runs[0]), summary(second, runs[1])],
    params: rows(runs, (run) => run.params),
    metrics: rows(runs, (run) => run.metrics),
    datasets: [datasetsOf(runs[0]), datasetsOf(runs[1])],
  };
}
