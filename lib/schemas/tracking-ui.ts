import { z } from "zod";
import { experimentNameSchema, keyProblem, MAX_RUN_TAG_VALUE_LENGTH } from "./mlflow";
import { projectRef } from "./projects";

/** Inputs of the web app's tracking procedures (the MLflow REST API has its own wire schemas). */
export const experimentIdInput = z.string().regex(/^\d{1,9}$/, "Invalid experiment id");
const runIdInput = z.string().regex(/^[a-zA-Z0-9][\w-]{0,255}$/, "Invalid run id");
const tagKey = z.string().superRefine((key, ctx) => {
  const problem = keyProblem(key);
  if (problem) ctx.addIssue({ code: "custom", message: `Invalid tag key '${key}': ${problem}` });
});

export const listExperimentsInput = projectRef.extend({ includeDeleted: z.boolean().default(false) });
export const createExperimentInput = projectRef.extend({ name: experimentNameSchema.trim() });
export const renameExperimentInput = projectRef.extend({ experimentId: experimentIdInput, name: experimentNameSchema.trim() });
export const experimentRefInput = projectRef.extend({ experimentId: experimentIdInput });

export const runRefInput = projectRef.extend({ runId: runIdInput });
export const runHistoryInput = runRefInput.extend({
  key: z.string().min(1).max(250),
  buckets: z.number().int().min(10).max(2000).default(500),
});
export const setRunTagInput = runRefInput.extend({
  key: tagKey,
  value: z.string().max(MAX_RUN_TAG_VALUE_LENGTH, `A tag value may be at most ${MAX_RUN_TAG_VALUE_LENGTH} characters`),
});
export const deleteRunTagInput = runRefInput.extend({ key: tagKey });
export const setRunNoteInput = runRefInput.extend({
  note: z.string().max(MAX_RUN_TAG_VALUE_LENGTH, `A note may be at most ${MAX_RUN_TAG_VALUE_LENGTH} characters`),
});
export const runArtifactsInput = runRefInput.extend({ path: z.string().max(1024).default("") });

/** MLflow keeps a run's markdown note in this tag; the MLflow UI reads and writes the same one. */
export const RUN_NOTE_TAG = "mlflow.note.content";
