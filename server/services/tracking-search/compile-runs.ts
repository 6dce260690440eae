import type { Condition, FieldType, OrderKey } from "./ast";
import { openPage, shapeOf } from "./page-token";
import { parseFilter } from "./parser";
import { parseOrderBy } from "./order-by";
import { selectIdsByMetric, sortTerms, type SortKey } from "./metric-order";
import {
  columnOf,
  keyedCondition,
  keyedJoin,
  lifecycleTest,
  selectIds,
  renderFilter,
  SqlParams,
  valueTest,
  type CompiledSearch,
  type KeyedTable,
  type ValueCondition,
  type ViewType,
} from "./sql";

export interface RunSearchInput {
  projectId: string;
  /** Internal Experiment.id values (not MLflow experiment numbers). */
  experimentIds: readonly string[];
  filter?: string;
  orderBy?: readonly string[];
  viewType: ViewType;
  maxResults: number;
  pageToken?: string;
}

const RUN_COLUMNS: Readonly<Record<string, string>> = {
  run_id: '"Run"."id"',
  run_name: '"Run"."name"',
  user_id: '"Run"."userId"',
  status: '"Run"."status"',
  artifact_uri: '"Run"."artifactUri"',
  start_time: '"Run"."startTime"',
  end_time: '"Run"."endTime"',
};

/** The length of the value prefix that Param and RunTag are indexed by (prisma/sql/search-indexes.sql). */
const INDEXED_VALUE_PREFIX = 256;

/**
 * Metrics are read from the latest-value table; all three are keyed by the run's compact seq, so
 * that PostgreSQL can join a param condition with metric conditions directly (docs/performance.md,
 * "Params and tags carry the run's number").
 */
const KEYED_TABLES: Readonly<Partial<Record<FieldType, KeyedTable>>> = {
  metric: { table: '"LatestMetric"', ownerColumn: '"runSeq"', owner: '"Run"."seq"' },
  param: { table: '"Param"', ownerColumn: '"runSeq"', owner: '"Run"."seq"', indexedValuePrefix: INDEXED_VALUE_PREFIX },
  tag: { table: '"RunTag"', ownerColumn: '"runSeq"', owner: '"Run"."seq"', indexedValuePrefix: INDEXED_VALUE_PREFIX },
};

function keyedTable(type: FieldType): KeyedTable {
  const keyed = KEYED_TABLES[type];
  if (!keyed) throw new Error(`${type} is not a keyed run table`);
  return keyed;
}

const keyedOf = (condition: Condition) => KEYED_TABLES[condition.field.type];

/**
 * Compiles runs/search into one SELECT of run ids, scoped to the project and experiments, in the
 * requested order with `start_time DESC` and `run_id ASC` as tie-breakers, one row past the page.
 * An order led by a metric is read in the order of that metric's index (metric-order.ts).
 *
 * Semantics worth knowing:
 * - Metric conditions compare the latest value with PostgreSQL double semantics: NaN equals NaN and
 *   is greater than every number, Infinity included (so `metrics.x > 0` matches a NaN metric).
 * - A condition on a metric, param, tag or dataset holds only when the run has that key: `!=` does
 *   not match runs without the param (as in MLflow); `IS NULL` is how to ask for those.
 * - Sorting puts runs without the key last in both directions; for metrics, NaN comes after every
 *   number and before missing values (MLflow's order).
 */
export function compileRunSearch(input: RunSearchInput): CompiledSearch {
  const filter = parseFilter(input.filter ?? "", "run");
  const orderBy = parseOrderBy(input.orderBy ?? [], "run");
  const experimentIds = [...new Set(input.experimentIds)].sort();
  const { projectId, viewType } = input;
  const shape = shapeOf({ entity: "run", projectId, experimentIds, filter, orderBy, viewType });
  const page = openPage(shape, input.maxResults, input.pageToken);

  const params = new SqlParams();
  const where = [
    `"Run"."projectId" = ${params.bind(projectId, "text")}`,
    `"Run"."experimentId" = ANY(${params.bind(experimentIds, "text[]")})`,
    ...lifecycleTest('"Run"."lifecycleStage"', viewType, params),
    ...(filter ? [renderFilter(filter, { condition: (condition) => runCondition(condition, params), keyedOf, params })] : []),
  ];
  const ordering = runOrdering(orderBy, params);
  const [first, ...rest] = ordering;
  if (first?.metricKey !== undefined) {
    const joins = rest.flatMap((key) => key.join ?? []);
    return selectIdsByMetric({ metricKey: first.metricKey, ascending: first.sort.ascending, joins, where, rest: rest.map((key) => key.sort) }, page, params);
  }
  const joins = ordering.flatMap((key) => key.join ?? []);
  return selectIds("Run", { joins, where, orderBy: ordering.flatMap((key) => sortTerms(key.sort)) }, page, params);
}

function runCondition(condition: Condition, params: SqlParams): string {
  const { field } = condition;
  if (condition.kind !== "isNull" && field.type === "attribute") {
    return valueTest(condition, columnOf(RUN_COLUMNS, field.key), params, "bigint");
  }
  if (condition.kind !== "isNull" && field.type === "dataset") return datasetTest(condition, field.key, params);
  return keyedCondition(keyedTable(field.type), condition, params);
}

/**
 * Dataset conditions hold when any of the run's inputs satisfies them. The context of an input lives
 * in its tags, as {key: "mlflow.data.context", value}.
 */
function datasetTest(condition: ValueCondition, key: string, params: SqlParams): string {
  if (key === "context") {
    const context = `("t"."tag"->>'value')`;
    return [
      `EXISTS (SELECT 1 FROM "RunInput" AS "i" CROSS JOIN LATERAL jsonb_array_elements("i"."tags") AS "t"("tag")`,
      `WHERE "i"."runId" = "Run"."id" AND "t"."tag"->>'key' = 'mlflow.data.context' AND ${valueTest(condition, context, params)})`,
    ].join(" ");
  }
  const column = columnOf({ name: '"d"."name"', digest: '"d"."digest"' }, key);
  return [
    `EXISTS (SELECT 1 FROM "RunInput" AS "i" JOIN "Dataset" AS "d" ON "d"."id" = "i"."datasetId"`,
    `WHERE "i"."runId" = "Run"."id" AND ${valueTest(condition, column, params)})`,
  ].join(" ");
}

/** A key of a run search's order: how it sorts, and the join (and bound key, for a metric) it reads. */
interface RunSortKey {
  sort: SortKey;
  join?: string;
  metricKey?: string;
}

/** The requested keys, the `i`-th one joined as "o<i>" when it is keyed, then the tie-breakers. */
function runOrdering(keys: readonly OrderKey[], params: SqlParams): RunSortKey[] {
  const ordering = keys.map(({ field, ascending }, index): RunSortKey => {
    if (field.type === "attribute") return { sort: { expression: columnOf(RUN_COLUMNS, field.key), ascending, metric: false, nullsLast: true } };
    const alias = `"o${index}"`;
    const key = params.bind(field.key, "text");
    const sort = { expression: `${alias}."value"`, ascending, metric: field.type === "metric", nullsLast: true };
    return { sort, join: keyedJoin(keyedTable(field.type), alias, key), ...(sort.metric ? { metricKey: key } : {}) };
  });
  const sortsBy = (key: string) => keys.some(({ field }) => field.type === "attribute" && field.key === key);
  // Both columns are never null: no NULLS LAST.
  if (!sortsBy("start_time")) ordering.push({ sort: { expression: '"Run"."startTime"', ascending: false, metric: false, nullsLast: false } });
  if (!sortsBy("run_id")) ordering.push({ sort: { expression: '"Run"."id"', ascending: true, metric: false, nullsLast: false } });
  return ordering;
}
