import { z } from "zod";
import { withRunId } from "./mlflow-runs";

/** Request schema of the tracking API's `artifacts/list` (wire names, snake_case). */
export const listArtifactsQuery = withRunId(
  z.object({
    path: z.string().max(4096).default(""),
    page_token: z.string().max(1000).optional(),
  }),
);
