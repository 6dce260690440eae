import path from "node:path";
import { z } from "zod";
import { listArtifactsQuery } from "@/lib/schemas/mlflow-artifacts";
import { listArtifactsUnder, runArtifactRoot, type ListEntry } from "@/server/services/artifacts";
import type { MlflowRoute } from "../route-table";

/** MLflow's FileInfo list of a folder's entries, their paths relative to the artifact root. */
export function fileInfos(entries: ListEntry[], folder: string) {
  return entries.map((entry) => ({
    path: folder ? path.posix.join(folder, entry.path) : entry.path,
    is_dir: entry.isDir,
    ...(entry.isDir ? {} : { file_size: entry.size }),
  }));
}

/** GET /artifacts/list: a folder of a run's artifacts, paths relative to the run's artifact root. */
export const artifactRoutes: MlflowRoute[] = [
  {
    method: "GET",
    path: "/artifacts/list",
    handle: async (access, input) => {
      const body = listArtifactsQuery.parse(input);
      const runId = body.run_id ?? body.run_uuid;
      if (!runId) throw new z.ZodError([{ code: "custom", path: ["run_id"], message: "run_id is required", input }]);
      const { artifactUri } = await runArtifactRoot(access, runId);
      const entries = await listArtifactsUnder(access, artifactUri, body.path);
      return { root_uri: artifactUri, files: fileInfos(entries, body.path) };
    },
  },
];
