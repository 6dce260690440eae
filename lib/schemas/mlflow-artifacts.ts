import { z } from "zod";
import { runIdSchema } from "./mlflow";

/** Request schema of the tracking API's `artifacts/list` (wire names, snake_case). */
export const listArtifactsQuery = z.object({
  run_id: runIdSchema.optional(),
  run_uuid: runIdSchema.optional(),
  path: z.string().max(4096).default(""),
  page_token: z.string().max(1000).optional(),
});
