import { z } from "zod";
import { int64, keySchema, repeatedString } from "./mlflow";
import { MAX_REGISTRY_DESCRIPTION_LENGTH, MAX_REGISTRY_TAG_VALUE_LENGTH, MAX_SOURCE_LENGTH } from "./registry";

/**
 * Request schemas of MLflow's model registry endpoints (wire names, snake_case). Names and aliases
 * are checked by the registry service itself (lib/schemas/registry.ts), which every edge calls.
 */
const modelName = z.string({ error: "Registered model name is required" }).max(1000);
const version = z.union([z.string().max(20), z.number()], { error: "Model version is required" }).pipe(int64).refine((value) => value >= 1, "Model version must be a positive integer");
const description = z.string().max(MAX_REGISTRY_DESCRIPTION_LENGTH, `Description must be at most ${MAX_REGISTRY_DESCRIPTION_LENGTH} characters`);
const tagValue = z.string().max(MAX_REGISTRY_TAG_VALUE_LENGTH, `Tag value must be at most ${MAX_REGISTRY_TAG_VALUE_LENGTH} characters`).default("");
const tags = z.array(z.object({ key: keySchema("tag"), value: tagValue })).max(1000).default([]);

export const registeredModelRef = z.object({ name: modelName });
export const createRegisteredModelBody = z.object({ name: modelName, tags, description: description.optional() });
export const renameRegisteredModelBody = z.object({ name: modelName, new_name: modelName });
export const updateRegisteredModelBody = z.object({ name: modelName, description: description.default("") });
export const registeredModelTagBody = z.object({ name: modelName, key: keySchema("tag"), value: tagValue });
export const registeredModelTagRef = z.object({ name: modelName, key: z.string().min(1).max(1000) });

export const latestVersionsBody = z.object({ name: modelName, stages: repeatedString(100, 10).default([]) });

export const aliasBody = z.object({ name: modelName, alias: z.string().max(1000), version });
export const aliasRef = z.object({ name: modelName, alias: z.string().max(1000) });

export const modelVersionRef = z.object({ name: modelName, version });
export const createModelVersionBody = z.object({
  name: modelName,
  source: z.string({ error: "Model version source is required" }).min(1).max(MAX_SOURCE_LENGTH),
  run_id: z.string().max(64).optional(),
  model_id: z.string().max(64).optional(),
  run_link: z.string().max(MAX_SOURCE_LENGTH).optional(),
  description: description.optional(),
  tags,
});
export const updateModelVersionBody = z.object({ name: modelName, version, description: description.default("") });
export const transitionStageBody = z.object({
  name: modelName,
  version,
  stage: z.string({ error: "Stage is required" }).max(100),
  archive_existing_versions: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]).default(false),
});
export const modelVersionTagBody = z.object({ name: modelName, version, key: keySchema("tag"), value: tagValue });
export const modelVersionTagRef = z.object({ name: modelName, version, key: z.string().min(1).max(1000) });

export const registrySearchBody = (maxResults: { default: number; max: number }) =>
  z.object({
    filter: z.string().max(10_000).optional(),
    max_results: int64
      .default(maxResults.default)
      .refine((value) => value >= 1 && value <= maxResults.max, `max_results must be between 1 and ${maxResults.max}`),
    order_by: repeatedString(300, 10).default([]),
    page_token: z.string().max(1000).optional(),
  });
