import { z } from "zod";
import { RUN_STATUSES, VIEW_TYPES } from "../tracking-states";

/**
 * Wire-level schemas of the MLflow REST API (docs/mlflow-compat.md: "Wire rules", "Entities",
 * "Validation limits"). MLflow's REST store sends values unchecked, so the server enforces every
 * limit here.
 */

export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_RUN_TAG_VALUE_LENGTH = 8000;
export const MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;
export const MAX_BATCH_METRICS = 1000;
export const MAX_BATCH_PARAMS = 100;
export const MAX_BATCH_TAGS = 100;
export const MAX_BATCH_TOTAL = 1000;

const KEY_CHARACTERS = /^[/\w.\- :]*$/;

/** Metric, param and tag keys: MLflow's character set, length, and no path tricks. */
export function keyProblem(key: string): string | null {
  if (key.length === 0) return "must not be empty";
  if (key.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters`;
  if (!KEY_CHARACTERS.test(key)) {
    return "may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/)";
  }
  const segments = key.split("/");
  if (key.startsWith("/") || segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    return "must be a normalized relative path (no leading '/', '//', '.' or '..' segments)";
  }
  return null;
}

export const keySchema = (what: string) =>
  z.string({ error: `${what} key is required` }).superRefine((key, ctx) => {
    const problem = keyProblem(key);
    if (problem) ctx.addIssue({ code: "custom", message: `Invalid ${what} key '${key}': ${problem}` });
  });

/** int64 fields arrive as JSON numbers or decimal strings. */
export const int64 = z
  .union([z.number(), z.string().max(20, "must be an integer within ±2^53").regex(/^-?\d+$/, "must be an integer")])
  .transform((value, ctx) => {
    const number = typeof value === "string" ? Number(value) : value;
    if (!Number.isSafeInteger(number)) {
      ctx.addIssue({ code: "custom", message: "must be an integer within ±2^53" });
      return z.NEVER;
    }
    return number;
  });

/**
 * A repeated string field (`order_by`, `stages`): a list in a JSON body, and in a GET query one value
 * per repetition, so a single one arrives as a plain string.
 */
export const repeatedString = (maxLength: number, maxItems: number) =>
  z
    // The count is checked after the union (a union reports a failed branch only as "Invalid input");
    // `maxItems` documents it.
    .union([z.string().max(maxLength), z.array(z.string().max(maxLength)).meta({ maxItems })])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(z.array(z.string()).max(maxItems));

/** Doubles: numbers, or "NaN" / "Infinity" / "-Infinity" as strings (JSON has no literals for them). */
export const double = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    if (typeof value === "number") return value;
    const special: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, "-Infinity": -Infinity };
    if (value in special) return special[value]!;
    const parsed = Number(value);
    if (value.trim() === "" || Number.isNaN(parsed)) {
      ctx.addIssue({ code: "custom", message: `'${value}' is not a number` });
      return z.NEVER;
    }
    return parsed;
  });

export const metricSchema = z.object({
  key: keySchema("metric"),
  value: double,
  timestamp: int64.refine((ts) => ts >= 0, "Metric timestamp must be non-negative"),
  step: int64.optional().default(0),
  model_id: z.string().max(64).optional(),
  dataset_name: z.string().max(500).optional(),
  dataset_digest: z.string().max(36).optional(),
});
export type MetricInput = z.infer<typeof metricSchema>;

export const paramSchema = z.object({
  key: keySchema("param"),
  value: z
    .string()
    .max(MAX_PARAM_VALUE_LENGTH, `Param value must be at most ${MAX_PARAM_VALUE_LENGTH} characters`)
    .default(""),
});

export const runTagSchema = z.object({
  key: keySchema("tag"),
  value: z
    .string()
    .max(MAX_RUN_TAG_VALUE_LENGTH, `Tag value must be at most ${MAX_RUN_TAG_VALUE_LENGTH} characters`)
    .default(""),
});

export const experimentTagSchema = z.object({
  key: keySchema("tag"),
  value: z
    .string()
    .max(MAX_EXPERIMENT_TAG_VALUE_LENGTH, `Tag value must be at most ${MAX_EXPERIMENT_TAG_VALUE_LENGTH} characters`)
    .default(""),
});

export const runIdSchema = z
  .string({ error: "run_id is required" })
  .max(256, "Invalid run id")
  .regex(/^[a-zA-Z0-9][\w-]{0,255}$/, "Invalid run id");
const EXPERIMENT_ID_PROBLEM = "Invalid experiment id: must be a number such as '1'";
export const experimentIdSchema = z
  .union(
    [
      // The pattern bounds the length; `maxLength` says so to clients.
      z.string().regex(/^\d{1,9}$/, EXPERIMENT_ID_PROBLEM).meta({ maxLength: 9 }),
      z.number().int(EXPERIMENT_ID_PROBLEM).min(0, EXPERIMENT_ID_PROBLEM).max(999_999_999, EXPERIMENT_ID_PROBLEM),
    ],
    { error: EXPERIMENT_ID_PROBLEM },
  )
  .transform(String);

export const experimentNameSchema = z
  .string({ error: "Experiment name is required" })
  .min(1, "Experiment name must not be empty")
  .max(500, "Experiment name must be at most 500 characters");

export const runStatusSchema = z
  .union([z.enum(RUN_STATUSES), z.number().int().min(1).max(5)])
  .transform((status) => (typeof status === "number" ? RUN_STATUSES[status - 1]! : status));

export const viewTypeSchema = z
  .union([z.enum(VIEW_TYPES), z.number().int().min(1).max(3)])
  .transform((view) => (typeof view === "number" ? VIEW_TYPES[view - 1]! : view));

/** MLflow's runs/log-batch body, with its documented limits. */
export const logBatchSchema = z
  .object({
    run_id: runIdSchema.optional(),
    run_uuid: runIdSchema.optional(),
    metrics: z.array(metricSchema).max(MAX_BATCH_METRICS, `A batch may hold at most ${MAX_BATCH_METRICS} metrics`).default([]),
    params: z.array(paramSchema).max(MAX_BATCH_PARAMS, `A batch may hold at most ${MAX_BATCH_PARAMS} params`).default([]),
    tags: z.array(runTagSchema).max(MAX_BATCH_TAGS, `A batch may hold at most ${MAX_BATCH_TAGS} tags`).default([]),
  })
  .superRefine((batch, ctx) => {
    const total = batch.metrics.length + batch.params.length + batch.tags.length;
    if (total > MAX_BATCH_TOTAL) {
      ctx.addIssue({ code: "custom", message: `A batch may hold at most ${MAX_BATCH_TOTAL} metrics, params and tags in total (got ${total})` });
    }
    const seen = new Map<string, string>();
    for (const param of batch.params) {
      const previous = seen.get(param.key);
      if (previous !== undefined && previous !== param.value) {
        ctx.addIssue({ code: "custom", message: `Duplicate param key '${param.key}' with different values in one batch` });
      }
      seen.set(param.key, param.value);
    }
  });
