/**
 * `POST /api/v1/projects/<slug>/datasets/import/dvc`: a DVC pipeline's dvc.lock (and dvc.yaml) into the
 * project's lineage. The server parses and checks the files; this sends their text as they are.
 */
import type { HttpClient } from "./http.ts";
import type { WhoAmI } from "./types.ts";

export interface DvcImportOptions {
  /** The text of dvc.lock. */
  lock: string;
  /** The text of dvc.yaml (gives stages their descriptions). */
  dvcYaml?: string;
  /** The git repository and commit the lock belongs to: the jobs' namespace becomes "dvc:<url>". */
  repo?: { url?: string; commit?: string };
  /** Project slug; default: the one in the client's URL, else the token's project. */
  project?: string;
}

export interface DvcImportResult {
  /** "dvc", or "dvc:<repository URL>". */
  namespace: string;
  /** Each stage with its graph node (`job:<id>`); `created` is false when an earlier import made it. */
  stages: { name: string; node: string; created: boolean; inputs: string[]; outputs: string[] }[];
  /** Each dataset version (`dataset:<path>@<md5>`); `created` is false when the project had it. */
  datasetVersions: { name: string; digest: string; node: string; created: boolean }[];
  counts: { stages: number; jobRunsCreated: number; datasetVersionsCreated: number; datasetVersionsKnown: number; edgesCreated: number };
}

export interface DvcImportContext {
  readonly http: HttpClient;
  readonly base: string;
  readonly serverRoot: string;
  whoami(): Promise<WhoAmI>;
}

type Json = Record<string, unknown>;

export async function importDvc(tally: DvcImportContext, options: DvcImportOptions): Promise<DvcImportResult> {
  const slug = options.project ?? /\/projects\/([^/]+)$/.exec(tally.base)?.[1] ?? (await tally.whoami()).project.slug;
  // Retried like any call: importing the same lock twice changes nothing on the server.
  const body = await tally.http.json<Json>(`${tally.serverRoot}/api/v1/projects/${encodeURIComponent(slug)}/datasets/import/dvc`, {
    method: "POST",
    json: { lock: options.lock, ...(options.dvcYaml !== undefined ? { dvcYaml: options.dvcYaml } : {}), ...(options.repo ? { repo: options.repo } : {}) },
  });
  const counts = (body.counts ?? {}) as Json;
  return {
    namespace: String(body.namespace ?? ""),
    stages: ((body.stages ?? []) as Json[]).map((stage) => ({
      name: String(stage.name),
      node: String(stage.node),
      created: stage.created === true,
      inputs: (stage.inputs ?? []) as string[],
      outputs: (stage.outputs ?? []) as string[],
    })),
    datasetVersions: ((body.dataset_versions ?? []) as Json[]).map((version) => ({
      name: String(version.name),
      digest: String(version.digest),
      node: String(version.node),
      created: version.created === true,
    })),
    counts: {
      stages: Number(counts.stages ?? 0),
      jobRunsCreated: Number(counts.job_runs_created ?? 0),
      datasetVersionsCreated: Number(counts.dataset_versions_created ?? 0),
      datasetVersionsKnown: Number(counts.dataset_versions_known ?? 0),
      edgesCreated: Number(counts.edges_created ?? 0),
    },
  };
}
