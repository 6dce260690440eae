import { badInput } from "@/lib/errors";
import type { Condition, OrderKey } from "./ast";
import { openPage, shapeOf } from "./page-token";
import { parseFilter } from "./parser";
import { parseOrderBy } from "./order-by";
import {
  columnOf,
  keyedCondition,
  metricOrderTerms,
  orderTerm,
  selectIds,
  renderFilter,
  SqlParams,
  valueTest,
  type CompiledSearch,
  type KeyedTable,
} from "./sql";

/** A dataset as MLflow's logged-model search names one: the digest is optional. */
export interface DatasetRef {
  name: string;
  digest?: string;
}

export interface LoggedModelSearchInput {
  projectId: string;
  /** Internal Experiment.id values. */
  experimentIds: readonly string[];
  filter?: string;
  /** Metric conditions read only points logged against one of these datasets (every point when empty). */
  datasets?: readonly DatasetRef[];
  /** MLflow order_by entries; a metric entry may name the dataset whose value it sorts by. */
  orderBy?: readonly { entry: string; dataset?: DatasetRef }[];
  maxResults: number;
  pageToken?: string;
}

const MODEL_COLUMNS: Readonly<Record<string, string>> = {
  name: '"LoggedModel"."name"',
  model_id: '"LoggedModel"."id"',
  model_type: '"LoggedModel"."modelType"',
  status: '"LoggedModel"."status"',
  source_run_id: '"LoggedModel"."sourceRunId"',
  creation_timestamp: '"LoggedModel"."creationTime"',
  last_updated_timestamp: '"LoggedModel"."lastUpdateTime"',
};

const MODEL_KEYED: Readonly<Record<"param" | "tag", KeyedTable>> = {
  param: { table: '"LoggedModelParam"', ownerColumn: '"modelId"', owner: '"LoggedModel"."id"' },
  tag: { table: '"LoggedModelTag"', ownerColumn: '"modelId"', owner: '"LoggedModel"."id"' },
};

/**
 * Compiles logged-models/search into one SELECT of LoggedModel.id values of live models in the
 * given experiments of the project, newest first unless ordered otherwise (model id breaks ties).
 * A model's metric is the latest of the points logged with its model id (by step, then timestamp,
 * as its page shows it), among those of the given datasets when there are any; a model without
 * that metric matches no metric condition and sorts last.
 */
export function compileLoggedModelSearch(input: LoggedModelSearchInput): CompiledSearch {
  const filter = parseFilter(input.filter ?? "", "logged_model");
  const entries = input.orderBy ?? [];
  const orderBy = parseOrderBy(entries.map(({ entry }) => entry), "logged_model");
  const orderDatasets = entries.map(({ dataset }) => dataset);
  const datasets = input.datasets ?? [];
  const experimentIds = [...new Set(input.experimentIds)].sort();
  const shape = shapeOf({ entity: "logged_model", projectId: input.projectId, experimentIds, filter, orderBy, orderDatasets, datasets });
  const page = openPage(shape, input.maxResults, input.pageToken);

  const params = new SqlParams();
  const condition = (leaf: Condition) => modelCondition(leaf, datasets, params);
  const where = [
    `"LoggedModel"."projectId" = ${params.bind(input.projectId, "text")}`,
    `"LoggedModel"."experimentId" = ANY(${params.bind(experimentIds, "text[]")})`,
    `"LoggedModel"."lifecycleStage" = 'active'`,
    ...(filter ? [renderFilter(filter, { condition, keyedOf, params })] : []),
  ];
  const { joins, terms } = modelOrdering(orderBy, orderDatasets, params);
  return selectIds("LoggedModel", { joins, where, orderBy: terms }, page, params);
}

const keyedOf = (condition: Condition): KeyedTable | undefined =>
  condition.field.type === "param" || condition.field.type === "tag" ? MODEL_KEYED[condition.field.type] : undefined;

function modelCondition(condition: Condition, datasets: readonly DatasetRef[], params: SqlParams): string {
  const { field } = condition;
  if (field.type === "attribute" && condition.kind !== "isNull") {
    return valueTest(condition, columnOf(MODEL_COLUMNS, field.key), params, "bigint");
  }
  if (field.type === "metric" && condition.kind !== "isNull") {
    return valueTest(condition, latestModelMetric(field.key, datasets, params), params);
  }
  return keyedCondition(MODEL_KEYED[field.type as "param" | "tag"], condition, params);
}

/**
 * The model's latest value of a metric as a scalar subquery (NULL when it has none), among points
 * of its own project's runs only. The hash index on MetricPoint.modelId finds the model's points; a
 * model has few.
 */
function latestModelMetric(key: string, datasets: readonly DatasetRef[], params: SqlParams): string {
  const tests = [`"p"."modelId" = "LoggedModel"."id"`, `"p"."key" = ${params.bind(key, "text")}`];
  if (datasets.length) {
    const names = params.bind(datasets.map((dataset) => dataset.name), "text[]");
    const digests = params.bind(datasets.map((dataset) => dataset.digest ?? null), "text[]");
    tests.push(
      `EXISTS (SELECT 1 FROM unnest(${names}, ${digests}) AS "d"("name", "digest")` +
        ` WHERE "d"."name" = "p"."datasetName" AND ("d"."digest" IS NULL OR "d"."digest" = "p"."datasetDigest"))`,
    );
  }
  return `(SELECT "p"."value" FROM "MetricPoint" AS "p"` +
    ` JOIN "Run" AS "pr" ON "pr"."seq" = "p"."runSeq" AND "pr"."projectId" = "LoggedModel"."projectId"` +
    ` WHERE ${tests.join(" AND ")} ORDER BY "p"."step" DESC, "p"."timestamp" DESC, "p"."value" DESC LIMIT 1)`;
}

/** Sorted metrics join once each (LATERAL), so the ordering reads each model's value only once. */
function modelOrdering(
  keys: readonly OrderKey[],
  datasets: readonly (DatasetRef | undefined)[],
  params: SqlParams,
): { joins: string[]; terms: string[] } {
  const joins: string[] = [];
  const terms = keys.flatMap(({ field, ascending }, index) => {
    const dataset = datasets[index];
    if (field.type !== "metric") {
      if (dataset) throw badInput(`Invalid order_by '${field.key}': a dataset applies only to metrics.<key> fields`);
      return [orderTerm(columnOf(MODEL_COLUMNS, field.key), ascending)];
    }
    const alias = `"o${index}"`;
    joins.push(`LEFT JOIN LATERAL (SELECT ${latestModelMetric(field.key, dataset ? [dataset] : [], params)} AS "value") AS ${alias} ON TRUE`);
    return metricOrderTerms(`${alias}."value"`, ascending);
  });
  if (keys.length === 0) terms.push(orderTerm(MODEL_COLUMNS.creation_timestamp!, false));
  terms.push(orderTerm(MODEL_COLUMNS.model_id!, true));
  return { joins, terms };
}
