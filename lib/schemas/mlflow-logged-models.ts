import { z } from "zod";
import { LOGGED_MODEL_STATUSES } from "../tracking-states";
import { experimentIdSchema, paramSchema, runIdSchema, runTagSchema } from "./mlflow";

/** Request schemas of MLflow 3's logged-model endpoints (wire names, snake_case). */

export const loggedModelIdSchema = z.string().max(34, "Invalid logged model id").regex(/^m-[0-9a-f]{32}$/, "Invalid logged model id");

const statusSchema = z
  .union([z.enum(LOGGED_MODEL_STATUSES), z.number().int().min(1).max(3)])
  .transform((status) => (typeof status === "number" ? LOGGED_MODEL_STATUSES[status - 1]! : status));

const datasetRefOf = (name: string, digest: string | undefined) => ({ name, ...(digest ? { digest } : {}) });

const datasetRef = z
  .object({ dataset_name: z.string().min(1).max(500), dataset_digest: z.string().max(36).optional() })
  .transform(({ dataset_name, dataset_digest }) => datasetRefOf(dataset_name, dataset_digest));

const orderBySchema = z
  .object({
    field_name: z.string().min(1).max(300),
    ascending: z.boolean().default(true),
    dataset_name: z.string().min(1).max(500).optional(),
    dataset_digest: z.string().max(36).optional(),
  })
  .refine((order) => order.dataset_name !== undefined || order.dataset_digest === undefined, "dataset_digest needs a dataset_name")
  .transform((order) => ({
    entry: `${order.field_name} ${order.ascending ? "ASC" : "DESC"}`,
    ...(order.dataset_name ? { dataset: datasetRefOf(order.dataset_name, order.dataset_digest) } : {}),
  }));

export const searchLoggedModelsBody = z.object({
  experiment_ids: z.array(experimentIdSchema).min(1, "experiment_ids must name at least one experiment").max(1000),
  filter: z.string().max(10_000).optional(),
  datasets: z.array(datasetRef).max(100).default([]),
  order_by: z.array(orderBySchema).max(10).default([]),
  max_results: z.number().int().min(1).max(1000).default(100),
  page_token: z.string().max(1000).optional(),
});

export const createLoggedModelBody = z.object({
  experiment_id: experimentIdSchema,
  name: z.string().max(500).optional(),
  model_type: z.string().max(500).optional(),
  source_run_id: runIdSchema.optional(),
  params: z.array(paramSchema).max(100).default([]),
  tags: z.array(runTagSchema).max(100).default([]),
});

export const getLoggedModelQuery = z.object({ allow_deleted: z.enum(["true", "false"]).optional() });
export const finalizeLoggedModelBody = z.object({ status: statusSchema });
export const loggedModelTagsBody = z.object({ tags: z.array(runTagSchema).max(100) });
export const loggedModelArtifactsQuery = z.object({ artifact_directory_path: z.string().max(4096).default("") });
export const loggedModelParamsBody = z.object({ params: z.array(paramSchema).max(100) });
