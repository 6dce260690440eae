import type { KeyValue } from "../runs";

/** Where the code came from, as the run's source tags recorded it; null where nothing was recorded. */
export interface GitFacts {
  repoUrl: string | null;
  commit: string | null;
  branch: string | null;
  /** Whether the working tree had changes not in `commit`; null when the client did not say. */
  dirty: boolean | null;
  /** The uncommitted changes (`git diff` text) the SDK stored beside the run; null when there is none to read. */
  diff: string | null;
  /** The SDK cut the diff at its size cap: what is stored is only its start and cannot be applied. */
  diffTruncated: boolean;
}

/** A dataset version the run read. */
export interface DatasetFact {
  name: string;
  digest: string;
  sourceType: string;
  /** The URI, URL or path inside the logged source (see docs/datasets.md). */
  sourceUri: string;
  /** The input's `mlflow.data.context` (train, eval, ...); null when the client set none. */
  context: string | null;
}

/** A file an environment fact was read from: one of a logged model's files, or one of the run's own artifacts. */
export interface EnvironmentFile {
  /** Relative to the logged model's artifact folder, or to the run's artifact root. */
  path: string;
  /** The logged model whose files these are; null for the run's own artifacts. */
  loggedModel: { id: string; name: string } | null;
}

/** A file that was found but not used, and why (too large to read, not valid YAML...). */
export interface SkippedFile {
  file: EnvironmentFile;
  reason: string;
}

export interface PythonFacts {
  /** As recorded, e.g. "3.11.9"; null when no file named it. */
  version: string | null;
  /** pip requirement lines, in the file's order. */
  packages: string[];
  /** The files the version and the packages came from. */
  from: (EnvironmentFile & { gave: ("version" | "packages")[] })[];
  skipped: SkippedFile[];
}

/** Everything a person needs to run a run again, built only from what the run recorded. */
export interface Reproduction {
  runId: string;
  runName: string;
  git: GitFacts;
  /** `mlflow.source.name`, or an MLflow Project's `mlflow.project.entryPoint`. */
  entryPoint: string | null;
  /** How the entry point was known: an MLflow Project entry point is run with `mlflow run`. */
  entryPointKind: "source" | "mlflowProject" | null;
  /** The command line as the SDK recorded it (`tally.source.command`). */
  command: string | null;
  /** The directory, relative to the repository's root, the command ran in. */
  workdir: string | null;
  params: KeyValue[];
  datasets: DatasetFact[];
  python: PythonFacts;
  /** Params whose key names a random seed. */
  seeds: KeyValue[];
  /** Each fact the run did not record, named for people. */
  missing: string[];
  /** A POSIX shell script that checks out, sets up and runs the run again; see docs/reproducibility.md. */
  script: string;
}
