import type { Condition, OrderKey } from "./ast";
import { openPage, shapeOf } from "./page-token";
import { parseFilter } from "./parser";
import { parseOrderBy } from "./order-by";
import {
  columnOf,
  keyedCondition,
  orderTerm,
  selectIds,
  renderFilter,
  SqlParams,
  valueTest,
  type CompiledSearch,
  type KeyedTable,
} from "./sql";

export interface LoggedModelSearchInput {
  projectId: string;
  /** Internal Experiment.id values. */
  experimentIds: readonly string[];
  filter?: string;
  orderBy?: readonly string[];
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
 */
export function compileLoggedModelSearch(input: LoggedModelSearchInput): CompiledSearch {
  const filter = parseFilter(input.filter ?? "", "logged_model");
  const orderBy = parseOrderBy(input.orderBy ?? [], "logged_model");
  const experimentIds = [...new Set(input.experimentIds)].sort();
  const shape = shapeOf({ entity: "logged_model", projectId: input.projectId, experimentIds, filter, orderBy });
  const page = openPage(shape, input.maxResults, input.pageToken);

  const params = new SqlParams();
  const where = [
    `"LoggedModel"."projectId" = ${params.bind(input.projectId, "text")}`,
    `"LoggedModel"."experimentId" = ANY(${params.bind(experimentIds, "text[]")})`,
    `"LoggedModel"."lifecycleStage" = 'active'`,
    ...(filter ? [renderFilter(filter, { condition: (condition) => modelCondition(condition, params), keyedOf, params })] : []),
  ];
  return selectIds("LoggedModel", { where, orderBy: modelOrdering(orderBy) }, page, params);
}

const keyedOf = (condition: Condition): KeyedTable | undefined =>
  condition.field.type === "param" || condition.field.type === "tag" ? MODEL_KEYED[condition.field.type] : undefined;

function modelCondition(condition: Condition, params: SqlParams): string {
  const { field } = condition;
  if (field.type === "attribute" && condition.kind !== "isNull") {
    return valueTest(condition, columnOf(MODEL_COLUMNS, field.key), params, "bigint");
  }
  return keyedCondition(MODEL_KEYED[field.type as "param" | "tag"], condition, params);
}

function modelOrdering(keys: readonly OrderKey[]): string[] {
  const terms = keys.map(({ field, ascending }) => orderTerm(columnOf(MODEL_COLUMNS, field.key), ascending));
  if (keys.length === 0) terms.push(orderTerm(MODEL_COLUMNS.creation_timestamp!, false));
  terms.push(orderTerm(MODEL_COLUMNS.model_id!, true));
  return terms;
}
