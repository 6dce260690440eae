import type { Condition, OrderKey } from "./ast";
import { openPage, shapeOf } from "./page-token";
import { parseFilter } from "./parser";
import { parseOrderBy } from "./order-by";
import {
  columnOf,
  keyedCondition,
  lifecycleTest,
  orderTerm,
  selectIds,
  renderFilter,
  SqlParams,
  valueTest,
  type CompiledSearch,
  type KeyedTable,
  type ViewType,
} from "./sql";

export interface ExperimentSearchInput {
  projectId: string;
  filter?: string;
  orderBy?: readonly string[];
  viewType: ViewType;
  maxResults: number;
  pageToken?: string;
}

/** experiment_id is MLflow's per-project number, so it sorts numerically. */
const EXPERIMENT_COLUMNS: Readonly<Record<string, string>> = {
  name: '"Experiment"."name"',
  creation_time: '"Experiment"."creationTime"',
  last_update_time: '"Experiment"."lastUpdateTime"',
  experiment_id: '"Experiment"."number"',
};

const EXPERIMENT_TAGS: KeyedTable = { table: '"ExperimentTag"', ownerColumn: '"experimentId"', owner: '"Experiment"."id"' };

const DEFAULT_ORDER: readonly string[] = ["creation_time DESC", "experiment_id ASC"];

/**
 * Compiles experiments/search into one SELECT of Experiment.id values within the project. Tag
 * conditions hold only for experiments that have the tag (`IS NULL` asks for those that don't).
 * The order defaults to `creation_time DESC, experiment_id ASC`; an explicit order without
 * experiment_id gets `experiment_id DESC` as its tie-breaker, as in MLflow.
 */
export function compileExperimentSearch(input: ExperimentSearchInput): CompiledSearch {
  const filter = parseFilter(input.filter ?? "", "experiment");
  const orderBy = parseOrderBy(input.orderBy?.length ? input.orderBy : DEFAULT_ORDER, "experiment");
  const shape = shapeOf({ entity: "experiment", projectId: input.projectId, filter, orderBy, viewType: input.viewType });
  const page = openPage(shape, input.maxResults, input.pageToken);

  const params = new SqlParams();
  const where = [
    `"Experiment"."projectId" = ${params.bind(input.projectId, "text")}`,
    ...lifecycleTest('"Experiment"."lifecycleStage"', input.viewType, params),
    ...(filter ? [renderFilter(filter, { condition: (condition) => experimentCondition(condition, params), keyedOf, params })] : []),
  ];
  return selectIds("Experiment", { where, orderBy: experimentOrdering(orderBy) }, page, params);
}

const keyedOf = (condition: Condition) => (condition.field.type === "tag" ? EXPERIMENT_TAGS : undefined);

function experimentCondition(condition: Condition, params: SqlParams): string {
  const { field } = condition;
  if (field.type === "attribute" && condition.kind !== "isNull") {
    return valueTest(condition, columnOf(EXPERIMENT_COLUMNS, field.key), params, "bigint");
  }
  return keyedCondition(EXPERIMENT_TAGS, condition, params);
}

function experimentOrdering(keys: readonly OrderKey[]): string[] {
  const terms = keys.map(({ field, ascending }) => orderTerm(columnOf(EXPERIMENT_COLUMNS, field.key), ascending));
  if (!keys.some(({ field }) => field.key === "experiment_id")) terms.push('"Experiment"."number" DESC');
  return terms;
}
