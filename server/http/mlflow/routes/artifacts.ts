import path from "node:path";
import { fileListAnswer } from "@/lib/schemas/mlflow-answers";
import { listArtifactsQuery } from "@/lib/schemas/mlflow-artifacts";
import { listArtifactsUnder, runArtifactRoot, type ListEntry } from "@/server/services/artifacts";
import { mlflowRoute, type MlflowRoute } from "../route-table";

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
  mlflowRoute({
    method: "GET",
    path: "/artifacts/list",
    summary: "List a folder of a run's artifacts",
    input: listArtifactsQuery,
    answer: fileListAnswer,
    handle: async (access, body) => {
      const { artifactUri } = await runArtifactRoot(access, body.runId);
      const entries = await listArtifactsUnder(access, artifactUri, body.path);
      return { root_uri: artifactUri, files: fileInfos(entries, body.path) };
    },
  }),
];
