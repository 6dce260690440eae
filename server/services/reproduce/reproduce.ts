import type { ProjectAccess } from "../access";
import { assertScope } from "../access";
import { storagePathOf } from "../artifacts";
import { sourceLocation } from "../datasets";
import { listRunLoggedModels } from "../logged-models";
import { findRun, loadRuns } from "../runs/internal";
import { pythonEnvironment, type EnvironmentFolder } from "./python-environment";
import { readCapped } from "./read-file";
import { reproductionScript, type ReproductionFacts } from "./script";
import { isSeedKey } from "./seeds";
import { LOG_MODEL_HISTORY_TAG, MAX_DIFF_BYTES, SOURCE_DIFF_ARTIFACT, SOURCE_TAGS } from "./source-tags";
import type { GitFacts, Reproduction } from "./types";

/** Logged models looked at for environment files; a run that logged more is read from its first ones. */
const MAX_LOGGED_MODELS = 20;

type Run = Awaited<ReturnType<typeof loadRuns>>[number];

function tagReader(run: Run) {
  const tags = new Map(run.tags.map((tag) => [tag.key, tag.value]));
  return (key: string): string | null => {
    const value = tags.get(key)?.trim();
    return value ? value : null;
  };
}

const booleanOf = (value: string | null): boolean | null => (value === "true" ? true : value === "false" ? false : null);

/** The models an MLflow 2 client logged into the run's own artifacts (`mlflow.log-model.history`), by folder. */
function historyModelFolders(historyTag: string | null): string[] {
  if (historyTag === null) return [];
  let entries: unknown;
  try {
    entries = JSON.parse(historyTag);
  } catch {
    return [];
  }
  if (!Array.isArray(entries)) return [];
  const folders = entries.flatMap((entry) => {
    const folder = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>).artifact_path : undefined;
    if (typeof folder !== "string" || folder === "" || folder.startsWith("/") || folder.split("/").includes("..")) return [];
    return [folder.replace(/\/+$/, "")];
  });
  return [...new Set(folders)];
}

async function gitFacts(access: ProjectAccess, run: Run, tag: (key: string) => string | null): Promise<{ git: GitFacts; diffTooLarge: boolean }> {
  const dirty = booleanOf(tag(SOURCE_TAGS.dirty));
  const git: GitFacts = {
    repoUrl: tag(SOURCE_TAGS.repoUrl) ?? tag(SOURCE_TAGS.legacyRepoUrl),
    commit: tag(SOURCE_TAGS.commit),
    branch: tag(SOURCE_TAGS.branch),
    dirty,
    diff: null,
    diffTruncated: false,
  };
  if (dirty === false || storagePathOf(run.artifactUri) === null) return { git, diffTooLarge: false };
  const read = await readCapped(access, run.artifactUri, SOURCE_DIFF_ARTIFACT, MAX_DIFF_BYTES);
  if (read.kind === "text") {
    git.diff = read.text;
    git.diffTruncated = tag(SOURCE_TAGS.diffTruncated) === "true";
  }
  return { git, diffTooLarge: read.kind === "tooLarge" };
}

function missingFacts(facts: Omit<ReproductionFacts, "missing">, diffTooLarge: boolean): string[] {
  const { git, python } = facts;
  const missing: string[] = [];
  if (git.repoUrl === null) missing.push("Git repository URL");
  if (git.commit === null) missing.push("Git commit");
  if (git.branch === null) missing.push("Git branch");
  if (git.dirty === null && git.diff === null) missing.push("Whether the working tree had uncommitted changes");
  if (diffTooLarge) missing.push(`The uncommitted changes (${SOURCE_DIFF_ARTIFACT} is over ${MAX_DIFF_BYTES / 1024} KiB)`);
  else if (git.diffTruncated) missing.push(`The uncommitted changes in full (the stored diff was cut at ${MAX_DIFF_BYTES / 1024} KiB)`);
  else if (git.dirty === true && git.diff === null) missing.push("The uncommitted changes (no diff was stored)");
  if (facts.entryPoint === null) missing.push("Entry point");
  if (facts.command === null) missing.push("Command line");
  if (facts.params.length === 0) missing.push("Params (none logged)");
  if (facts.datasets.length === 0) missing.push("Dataset inputs (none logged)");
  if (python.version === null) missing.push("Python version");
  if (python.packages.length === 0) missing.push("Python packages");
  if (facts.seeds.length === 0) missing.push("Random seeds (no param names a seed)");
  return missing;
}

/**
 * What it takes to run a run again, built only from what it recorded: its source tags, the diff the
 * SDK stored, params, dataset inputs and the environment files of its logged models or its own
 * artifacts. Facts it did not record are listed in `missing`; see docs/reproducibility.md.
 */
export async function runReproduction(access: ProjectAccess, runId: string): Promise<Reproduction> {
  assertScope(access, "project:read");
  const row = await findRun(access, runId);
  const run = (await loadRuns(access, [row.id]))[0]!;
  const tag = tagReader(run);

  const projectEntryPoint = tag(SOURCE_TAGS.projectEntryPoint);
  const sourceName = tag(SOURCE_TAGS.sourceName);
  const loggedModels = await listRunLoggedModels(access, run.id, MAX_LOGGED_MODELS);
  const folders: EnvironmentFolder[] = [
    ...loggedModels.map((model) => ({ artifactUri: model.artifactUri, prefix: "", loggedModel: { id: model.id, name: model.name } })),
    ...historyModelFolders(tag(LOG_MODEL_HISTORY_TAG)).map((prefix) => ({ artifactUri: run.artifactUri, prefix, loggedModel: null })),
    { artifactUri: run.artifactUri, prefix: "", loggedModel: null },
  ];
  const [{ git, diffTooLarge }, python] = await Promise.all([gitFacts(access, run, tag), pythonEnvironment(access, folders)]);

  const facts: Omit<ReproductionFacts, "missing"> = {
    runId: run.id,
    runName: run.name,
    git,
    entryPoint: projectEntryPoint ?? sourceName,
    entryPointKind: projectEntryPoint !== null ? "mlflowProject" : sourceName !== null ? "source" : null,
    command: tag(SOURCE_TAGS.command),
    workdir: tag(SOURCE_TAGS.workdir),
    params: run.params,
    datasets: run.datasetInputs
      .map(({ dataset, tags }) => ({
        name: dataset.name,
        digest: dataset.digest,
        sourceType: dataset.sourceType,
        sourceUri: sourceLocation(dataset.source),
        context: tags.find((entry) => entry.key === "mlflow.data.context")?.value ?? null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.digest.localeCompare(b.digest)),
    python,
    seeds: run.params.filter((param) => isSeedKey(param.key)),
  };
  const withMissing: ReproductionFacts = { ...facts, missing: missingFacts(facts, diffTooLarge) };
  return { ...withMissing, script: reproductionScript(withMissing) };
}
