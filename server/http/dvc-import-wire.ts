import type { DvcImportResult } from "@/server/services/dvc-import";

/**
 * A DVC import's answer on Tally's REST API (snake_case). `node` is the graph node id the lineage
 * routes take (`dataset:<name>@<digest>`, `job:<job run id>`).
 */
export function dvcImportWire(result: DvcImportResult) {
  return {
    namespace: result.namespace,
    stages: result.stages.map((stage) => ({
      name: stage.name,
      node: `job:${stage.jobRunId}`,
      created: stage.created,
      inputs: stage.inputs,
      outputs: stage.outputs,
    })),
    dataset_versions: result.datasetVersions.map((version) => ({
      name: version.name,
      digest: version.digest,
      node: `dataset:${version.name}@${version.digest}`,
      created: version.created,
    })),
    counts: {
      stages: result.stages.length,
      job_runs_created: result.jobRunsCreated,
      dataset_versions_created: result.datasetVersionsCreated,
      dataset_versions_known: result.datasetVersionsKnown,
      edges_created: result.edgesCreated,
    },
  };
}
