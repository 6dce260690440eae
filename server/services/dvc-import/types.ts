/** A file or directory DVC tracks, as one stage's lock entry lists it. */
export interface DvcFile {
  /** As written in the lock: relative to the stage's working directory. */
  path: string;
  /** DVC's md5; a directory's ends in ".dir" (the md5 of its listing). */
  md5: string;
  size: number | null;
  /** Files in a directory; null for a file. */
  nfiles: number | null;
}

/** Command as DVC stores it: one line, or several run in order. */
export type DvcCommand = string | string[];

/** Parameter values a stage read, by params file then key (`{"params.yaml": {"train.lr": 0.1}}`). */
export type DvcParams = Record<string, Record<string, unknown>>;

/** One stage of dvc.lock (foreach and matrix stages appear once per item: `train@0`, `eval@a-test`). */
export interface DvcLockStage {
  name: string;
  cmd: DvcCommand | null;
  params: DvcParams;
  deps: DvcFile[];
  outs: DvcFile[];
  /** The stage's lock entry as canonical JSON (keys sorted): what identifies this execution. */
  canonical: string;
}

/** What dvc.yaml adds to a stage: its description, and its command when the lock has none. */
export interface DvcYamlStage {
  desc: string | null;
  /** null for foreach and matrix stages, whose command is a template. */
  cmd: DvcCommand | null;
}

export interface DvcImportInput {
  /** The text of dvc.lock. */
  lock: string;
  /** The text of dvc.yaml, when the importer has it. */
  dvcYaml?: string;
  /** Where the pipeline lives: the job namespace becomes "dvc:<url>", and sources name the commit. */
  repo?: { url?: string; commit?: string };
}

export interface DvcImportedStage {
  name: string;
  /** The job run (graph node `job:<id>`) that stands for this execution of the stage. */
  jobRunId: string;
  /** False when an import of the same lock entry made it before. */
  created: boolean;
  inputs: string[];
  outputs: string[];
}

export interface DvcImportedVersion {
  name: string;
  digest: string;
  /** False when the project already had this version (from a run, OpenLineage or an earlier import). */
  created: boolean;
}

export interface DvcImportResult {
  /** The namespace of the stages' jobs: "dvc", or "dvc:<repository URL>". */
  namespace: string;
  stages: DvcImportedStage[];
  datasetVersions: DvcImportedVersion[];
  jobRunsCreated: number;
  datasetVersionsCreated: number;
  datasetVersionsKnown: number;
  edgesCreated: number;
}
