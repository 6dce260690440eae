/**
 * The run tags and artifact a reproduction is built from: MLflow's standard source tags, and the ones
 * Tally's SDK adds when it starts a run (docs/reproducibility.md). The SDK spells the same names.
 */
export const SOURCE_TAGS = {
  repoUrl: "mlflow.source.git.repoURL",
  /** Older MLflow clients' name for the repository URL. */
  legacyRepoUrl: "mlflow.gitRepoURL",
  commit: "mlflow.source.git.commit",
  branch: "mlflow.source.git.branch",
  sourceName: "mlflow.source.name",
  projectEntryPoint: "mlflow.project.entryPoint",
  dirty: "tally.source.git.dirty",
  diffTruncated: "tally.source.git.diffTruncated",
  command: "tally.source.command",
  workdir: "tally.source.workdir",
} as const;

/** MLflow 2 clients list the models they log into a run's artifacts here (a JSON list with `artifact_path`s). */
export const LOG_MODEL_HISTORY_TAG = "mlflow.log-model.history";

/** The diff of uncommitted changes, relative to the run's artifact root. */
export const SOURCE_DIFF_ARTIFACT = "tally/source.diff";

/** The SDK cuts the diff at this size; a stored diff larger than this was not written by it and is not read. */
export const MAX_DIFF_BYTES = 512 * 1024;

/** Environment files (requirements.txt, conda.yaml, python_env.yaml) larger than this are reported, not parsed. */
export const MAX_ENVIRONMENT_FILE_BYTES = 256 * 1024;
