/**
 * The lineage graph as the API and the pages see it (docs/lineage.md). Node ids are readable and
 * stable: they name things the way people do, not by internal keys.
 *
 *   dataset:<name>@<digest>     a dataset version
 *   run:<run id>                a run
 *   model:<m-...>               a logged model (MLflow 3)
 *   version:<model name>/<n>    a registered model version
 *   job:<job run id>            one execution of an OpenLineage job or a DVC stage
 *   alias:<model name>@<alias>  an alias of a registered model (points at the version holding it)
 *   stage:<model name>/<stage>  a stage of a registered model (Staging, Production)
 */
export type LineageNodeKind = "dataset" | "run" | "model" | "version" | "job" | "alias" | "stage";

/**
 * input: dataset → run (context train/eval/test); output: run or job → dataset it produced;
 * parent: parent run → child run; produced: run → logged model; registered: logged model or run →
 * model version; base_model: logged model → run that used it; openlineage: job run → the Tally run
 * it started (or parent run → job run); holds: model version → alias or stage currently on it.
 */
export type LineageEdgeKind =
  | "input"
  | "output"
  | "parent"
  | "produced"
  | "registered"
  | "base_model"
  | "openlineage"
  | "holds";

export interface LineageNode {
  id: string;
  kind: LineageNodeKind;
  /** What people call it: dataset name, run name, model name + version, job name, alias. */
  label: string;
  /** A second line: digest prefix, experiment, status, job namespace... */
  detail: string | null;
  /** The project page for the node (relative to /projects/<slug>), null when it has none. */
  path: string | null;
  /** Steps from the queried node (0 for the node itself). */
  depth: number;
}

export interface LineageEdge {
  from: string;
  to: string;
  kind: LineageEdgeKind;
  /** For input edges: how the run used the dataset (train, eval, test...). */
  context: string | null;
}

export type LineageDirection = "upstream" | "downstream" | "both";

export interface LineageGraph {
  root: string;
  direction: LineageDirection;
  depth: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when the walk stopped at the node cap before reaching the depth bound everywhere. */
  truncated: boolean;
}

/** Where an impact query starts. */
export type ImpactSource =
  | { kind: "dataset"; name: string; digest?: string }
  | { kind: "commit"; commit: string }
  | { kind: "model"; modelId: string };

/** A registry pointer a model version holds right now. */
export interface LineageHolder {
  kind: "alias" | "stage";
  name: string;
}

export interface ImpactItem {
  node: LineageNode;
  /** Node ids from the source to this node, both ends included (the shortest path). */
  path: string[];
  /** For model versions: the aliases and stages on it now (empty otherwise or when none). */
  holders: LineageHolder[];
}

export interface ImpactResult {
  /** The nodes the query started from (several for a commit or a dataset name without digest). */
  sources: LineageNode[];
  runs: ImpactItem[];
  loggedModels: ImpactItem[];
  modelVersions: ImpactItem[];
  /** Dataset versions and jobs downstream (data derived from the source). */
  other: ImpactItem[];
  /** Model versions among the above that hold a stage or alias now. */
  holding: number;
  truncated: boolean;
}
