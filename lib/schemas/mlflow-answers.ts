import { z } from "zod";
import { MODEL_STAGES } from "../model-registry-states";
import { LIFECYCLE_STAGES, RUN_STATUSES } from "../tracking-states";
import { wireDouble } from "./api-answers";

/**
 * The answers of the MLflow REST API as Tally sends them (docs/mlflow-compat.md, "Entities"):
 * snake_case, ids as strings, epoch milliseconds, an absent optional field left out. The route table
 * is type-checked against these, and outside production every answer is checked at run time.
 */

const epochMs = z.number().int();
const keyValue = z.strictObject({ key: z.string(), value: z.string() });

/** MLflow's error body: `{ "error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…", "request_id": "…" }`. */
export const mlflowErrorBody = z
  .strictObject({
    error_code: z.enum([
      "INVALID_PARAMETER_VALUE",
      "UNAUTHENTICATED",
      "PERMISSION_DENIED",
      "RESOURCE_DOES_NOT_EXIST",
      "RESOURCE_ALREADY_EXISTS",
      "REQUEST_LIMIT_EXCEEDED",
      "TEMPORARILY_UNAVAILABLE",
      "RESOURCE_EXHAUSTED",
      "ENDPOINT_NOT_FOUND",
      "BAD_REQUEST",
      "INTERNAL_ERROR",
    ]),
    message: z.string(),
    request_id: z.string().optional().meta({ description: "The answer's X-Request-Id, also in the server's log line" }),
  })
  .meta({ id: "MlflowError" });

export const emptyAnswer = z.strictObject({});

export const experimentWireSchema = z
  .strictObject({
    experiment_id: z.string(),
    name: z.string(),
    artifact_location: z.string(),
    lifecycle_stage: z.enum(LIFECYCLE_STAGES),
    creation_time: epochMs,
    last_update_time: epochMs,
    tags: z.array(keyValue),
  })
  .meta({ id: "Experiment" });

export const runInfoWireSchema = z
  .strictObject({
    run_id: z.string(),
    run_uuid: z.string(),
    run_name: z.string(),
    experiment_id: z.string(),
    user_id: z.string(),
    status: z.enum(RUN_STATUSES),
    start_time: epochMs,
    end_time: epochMs.optional(),
    artifact_uri: z.string(),
    lifecycle_stage: z.enum(LIFECYCLE_STAGES),
  })
  .meta({ id: "RunInfo" });

export const metricWireSchema = z
  .strictObject({ key: z.string(), value: wireDouble, timestamp: epochMs, step: z.number().int() })
  .meta({ id: "Metric" });

export const runWireSchema = z
  .strictObject({
    info: runInfoWireSchema,
    data: z.strictObject({ metrics: z.array(metricWireSchema), params: z.array(keyValue), tags: z.array(keyValue) }),
    inputs: z.strictObject({
      dataset_inputs: z.array(
        z.strictObject({
          tags: z.array(keyValue),
          dataset: z.strictObject({
            name: z.string(),
            digest: z.string(),
            source_type: z.string(),
            source: z.string(),
            schema: z.string().optional(),
            profile: z.string().optional(),
          }),
        }),
      ),
      model_inputs: z.array(z.strictObject({ model_id: z.string() })),
    }),
    outputs: z.strictObject({ model_outputs: z.array(z.strictObject({ model_id: z.string(), step: z.number().int() })) }),
  })
  .meta({ id: "Run" });

export const loggedModelWireSchema = z
  .strictObject({
    info: z.strictObject({
      model_id: z.string(),
      experiment_id: z.string(),
      name: z.string(),
      artifact_uri: z.string(),
      creation_timestamp_ms: epochMs,
      last_updated_timestamp_ms: epochMs,
      status: z.string(),
      status_message: z.string().optional(),
      model_type: z.string().optional(),
      source_run_id: z.string().optional(),
      tags: z.array(keyValue),
    }),
    data: z.strictObject({
      params: z.array(keyValue),
      metrics: z.array(
        z.strictObject({
          key: z.string(),
          value: wireDouble,
          timestamp: epochMs,
          step: z.number().int(),
          run_id: z.string(),
          model_id: z.string(),
          dataset_name: z.string().optional(),
          dataset_digest: z.string().optional(),
        }),
      ),
    }),
  })
  .meta({ id: "LoggedModel" });

export const modelVersionWireSchema = z
  .strictObject({
    name: z.string(),
    version: z.string(),
    creation_timestamp: epochMs,
    last_updated_timestamp: epochMs,
    user_id: z.string(),
    current_stage: z.enum(MODEL_STAGES),
    description: z.string(),
    source: z.string(),
    run_id: z.string().optional(),
    status: z.literal("READY"),
    status_message: z.string().optional(),
    tags: z.array(keyValue),
    run_link: z.string().optional(),
    aliases: z.array(z.string()),
    model_id: z.string().optional(),
  })
  .meta({ id: "ModelVersion" });

export const registeredModelWireSchema = z
  .strictObject({
    name: z.string(),
    creation_timestamp: epochMs,
    last_updated_timestamp: epochMs,
    user_id: z.string(),
    description: z.string(),
    latest_versions: z.array(modelVersionWireSchema),
    tags: z.array(keyValue),
    aliases: z.array(z.strictObject({ alias: z.string(), version: z.string() })),
  })
  .meta({ id: "RegisteredModel" });

const fileInfo = z.strictObject({ path: z.string(), is_dir: z.boolean(), file_size: z.number().int().optional() });

/** A folder's entries, paths relative to the artifact root. */
export const fileListAnswer = z.strictObject({ root_uri: z.string(), files: z.array(fileInfo) });

const nextPageToken = z.string().optional();

/** A search page: the entities under `key`, and `next_page_token` only when another page exists. */
export const pageOf = <Key extends string, Item extends z.ZodType>(key: Key, item: Item) =>
  z.strictObject({ [key]: z.array(item), next_page_token: nextPageToken } as { [K in Key]: z.ZodArray<Item> } & { next_page_token: typeof nextPageToken });

export const experimentAnswer = z.strictObject({ experiment: experimentWireSchema });
export const runAnswer = z.strictObject({ run: runWireSchema });
export const loggedModelAnswer = z.strictObject({ model: loggedModelWireSchema });
export const registeredModelAnswer = z.strictObject({ registered_model: registeredModelWireSchema });
export const modelVersionAnswer = z.strictObject({ model_version: modelVersionWireSchema });
export const modelVersionListAnswer = z.strictObject({ model_versions: z.array(modelVersionWireSchema) });
