import { z } from "zod";
import { experimentIdSchema, experimentNameSchema, experimentTagSchema, int64, repeatedString, viewTypeSchema } from "./mlflow";

/** Request schemas of MLflow's experiment endpoints (wire names, snake_case). */

export const experimentRef = z.object({ experiment_id: experimentIdSchema });

export const searchExperimentsBody = z.object({
  max_results: int64.default(1000),
  page_token: z.string().max(1000).optional(),
  filter: z.string().max(10_000).optional(),
  order_by: repeatedString(300, 10).default([]),
  view_type: viewTypeSchema.default("ACTIVE_ONLY"),
});

export const experimentByNameBody = z.object({ experiment_name: experimentNameSchema });

export const createExperimentBody = z.object({
  name: experimentNameSchema,
  artifact_location: z.string().max(2000).optional(),
  tags: z.array(experimentTagSchema).max(100).default([]),
});

export const renameExperimentBody = experimentRef.extend({ new_name: experimentNameSchema });
export const experimentTagBody = experimentRef.and(experimentTagSchema);
export const experimentTagRef = experimentRef.extend({ key: z.string().min(1).max(250) });
