import { z } from "zod";
import { MODEL_STAGES } from "../model-registry-states";
import { keySchema } from "./mlflow";
import { projectRef } from "./projects";
import { aliasProblem, MAX_MODEL_NAME_LENGTH, MAX_REGISTRY_DESCRIPTION_LENGTH, MAX_REGISTRY_TAG_VALUE_LENGTH, modelNameProblem } from "./registry";

/** Inputs of the web app's registry procedures (the MLflow REST API has its own wire schemas). */

/** The name of an existing model: anything the registry could have stored. */
const existingModelName = z.string().min(1, "Model name is required").max(MAX_MODEL_NAME_LENGTH);
/** A name to create or rename to, with the registry's own rules. */
const newModelName = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = modelNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
const alias = z.string().superRefine((value, ctx) => {
  const problem = aliasProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const version = z.number().int().min(1, "Model version must be a positive integer").max(2_147_483_647);
const description = z
  .string()
  .max(MAX_REGISTRY_DESCRIPTION_LENGTH, `A description may be at most ${MAX_REGISTRY_DESCRIPTION_LENGTH} characters`);
const tagValue = z.string().max(MAX_REGISTRY_TAG_VALUE_LENGTH, `A tag value may be at most ${MAX_REGISTRY_TAG_VALUE_LENGTH} characters`);
const tagKey = keySchema("tag");
const runId = z.string().regex(/^[a-zA-Z0-9][\w-]{0,255}$/, "Invalid run id");

/** The sorts the models table offers, as search-grammar order terms. */
export const MODEL_LIST_ORDERS = ["name ASC", "name DESC", "last_updated_timestamp DESC", "last_updated_timestamp ASC"] as const;

export const listModelsInput = projectRef.extend({
  /** MLflow's registered-model search grammar, e.g. `name LIKE '%churn%' AND tags.team = 'ml'`. */
  filter: z.string().max(5000, "The filter must be at most 5000 characters").default(""),
  orderBy: z.enum(MODEL_LIST_ORDERS).default("name ASC"),
  pageSize: z.number().int().min(1).max(200).default(50),
  /** The page token of the previous page (named `cursor` for infinite queries). */
  cursor: z.string().max(500).nullish(),
});

export const modelRefInput = projectRef.extend({ name: existingModelName });
export const createModelInput = projectRef.extend({ name: newModelName, description: description.default("") });
export const renameModelInput = modelRefInput.extend({ newName: newModelName });
export const modelDescriptionInput = modelRefInput.extend({ description });
export const modelTagInput = modelRefInput.extend({ key: tagKey, value: tagValue });
export const modelTagRefInput = modelRefInput.extend({ key: z.string().min(1).max(250) });
/** The model's stages and aliases as they stood at `at` (time travel over its history). */
export const modelStateAtInput = modelRefInput.extend({ at: z.coerce.date({ error: "at must be a time" }) });

export const versionRefInput = modelRefInput.extend({ version });
/** A folder of a version's files, relative to its storage location ("" for the top). */
export const versionFilesInput = versionRefInput.extend({ path: z.string().max(1024).default("") });
export const compareVersionsInput = versionRefInput.extend({ other: version });
export const versionDescriptionInput = versionRefInput.extend({ description });
export const versionTagInput = versionRefInput.extend({ key: tagKey, value: tagValue });
export const versionTagRefInput = versionRefInput.extend({ key: z.string().min(1).max(250) });
export const transitionStageInput = versionRefInput
  .extend({ stage: z.enum(MODEL_STAGES), archiveExisting: z.boolean().default(false) })
  .refine((input) => !input.archiveExisting || input.stage === "Staging" || input.stage === "Production", {
    message: "Only a move to Staging or Production can archive the versions already there",
    path: ["archiveExisting"],
  });

export const setAliasInput = versionRefInput.extend({ alias });
export const deleteAliasInput = modelRefInput.extend({ alias: z.string().min(1).max(255) });

export const registerFromRunInput = projectRef.extend({
  runId,
  loggedModelId: z.string().regex(/^m-[0-9a-f]{32}$/, "Invalid logged model id"),
  /** An existing registered model, or the name of a new one. */
  name: newModelName,
});
export const runRegistryInput = projectRef.extend({ runId });
