import { badInput } from "@/lib/errors";
import type { LifecycleStage, ViewType } from "@/lib/tracking-states";
import type { Condition, FilterExpr } from "./ast";
import type { Page } from "./page-token";
import { prefixTest } from "./value-prefix";

export type { ViewType };

/** A parameterized SELECT of matching ids: run it with `db().$queryRawUnsafe(sql, ...params)`. */
export interface CompiledSearch {
  sql: string;
  params: unknown[];
  page: Page;
}

type SqlType = "text" | "text[]" | "bigint" | "double precision" | "integer";

/**
 * Collects bind values. Every user value reaches PostgreSQL as a parameter, never as SQL text, and
 * with an explicit cast so that no driver or planner has to guess its type.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  bind(value: unknown, type: SqlType): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

const SQL_OPERATORS: Readonly<Record<string, string>> = {
  "=": "=",
  "!=": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
  LIKE: "LIKE",
  ILIKE: "ILIKE",
};

export type ValueCondition = Exclude<Condition, { kind: "isNull" }>;

/**
 * `column <op> value` for one condition. Numbers bind as `numberType`: bigint for the timestamp
 * columns (so their indexes stay usable), double precision for metric values.
 */
export function valueTest(
  condition: ValueCondition,
  column: string,
  params: SqlParams,
  numberType: "bigint" | "double precision" = "double precision",
): string {
  switch (condition.kind) {
    case "number":
      return `${column} ${SQL_OPERATORS[condition.op]} ${params.bind(condition.value, numberType)}`;
    case "text":
      return `${column} ${SQL_OPERATORS[condition.op]} ${params.bind(condition.value, "text")}`;
    case "in":
      return condition.negated
        ? `${column} <> ALL(${params.bind(condition.values, "text[]")})`
        : `${column} = ANY(${params.bind(condition.values, "text[]")})`;
  }
}

/** How a compiler turns the leaves of a filter into SQL. */
export interface LeafRenderer {
  condition(leaf: Condition): string;
  /** The keyed table a leaf tests, if any. */
  keyedOf(leaf: Condition): KeyedTable | undefined;
  params: SqlParams;
}

/**
 * Renders AND/OR, parenthesizing every group so the SQL has exactly the parsed precedence. Under OR,
 * value conditions on the same keyed table share one EXISTS, so the database reads that table once
 * for all of them instead of once per condition.
 */
export function renderFilter(expr: FilterExpr, renderer: LeafRenderer): string {
  if (!("operands" in expr)) return renderer.condition(expr);
  // Each item is an operand of its own or, at its first member's place, a group sharing one table.
  const items: (FilterExpr | { keyed: KeyedTable; members: ValueCondition[] })[] = [];
  const groups = new Map<KeyedTable, ValueCondition[]>();
  for (const operand of expr.operands) {
    const keyed = expr.kind === "or" && isValueLeaf(operand) ? renderer.keyedOf(operand) : undefined;
    if (!keyed || !isValueLeaf(operand)) {
      items.push(operand); // isValueLeaf again only narrows the type for the branches below
    } else if (groups.has(keyed)) {
      groups.get(keyed)!.push(operand);
    } else {
      groups.set(keyed, [operand]);
      items.push({ keyed, members: groups.get(keyed)! });
    }
  }
  const rendered = items.map((item) => {
    if (!("members" in item)) return renderFilter(item, renderer);
    const keys = item.members.map((leaf) => ({ key: leaf.field.key, test: (column: string) => keyedValueTest(item.keyed, leaf, column, renderer.params) }));
    return keyedExists(item.keyed, keys, renderer.params);
  });
  return `(${rendered.join(` ${expr.kind.toUpperCase()} `)})`;
}

function isValueLeaf(expr: FilterExpr): expr is ValueCondition {
  return !("operands" in expr) && expr.kind !== "isNull";
}

/** A key/value table that belongs to a search row, such as "Param" to "Run". */
export interface KeyedTable {
  table: string;
  /** The column of `table` that points at the owner, and the owner's column it points at. */
  ownerColumn: string;
  owner: string;
  /** How many leading characters of `value` an index on (key, value prefix) holds, if there is one. */
  indexedValuePrefix?: number;
}

interface KeyTest {
  key: string;
  test?: (column: string) => string;
}

/**
 * EXISTS over the rows of a keyed table having one of `keys` (with its value test, if any). A
 * semi-join: it never multiplies rows, it composes under OR, and the (owner, key) primary key answers it.
 */
function keyedExists(keyed: KeyedTable, keys: KeyTest[], params: SqlParams): string {
  const alternatives = keys.map(({ key, test }) =>
    [`"k"."key" = ${params.bind(key, "text")}`, ...(test ? [test('"k"."value"')] : [])].join(" AND "),
  );
  const match = alternatives.length === 1 ? alternatives[0]! : `(${alternatives.map((alternative) => `(${alternative})`).join(" OR ")})`;
  return `EXISTS (SELECT 1 FROM ${keyed.table} AS "k" WHERE "k".${keyed.ownerColumn} = ${keyed.owner} AND ${match})`;
}

/**
 * A value test on a keyed table whose values are indexed by prefix: the test on the prefix alone when
 * it decides the condition, else led by it when it narrows anything, else the plain test.
 */
function keyedValueTest(keyed: KeyedTable, condition: ValueCondition, column: string, params: SqlParams): string {
  const prefix =
    keyed.indexedValuePrefix === undefined
      ? undefined
      : prefixTest(condition, column, keyed.indexedValuePrefix, (value) => params.bind(value, "text"));
  if (prefix?.exact) return prefix.sql;
  const exact = valueTest(condition, column, params);
  return prefix ? `${prefix.sql} AND ${exact}` : exact;
}

/**
 * A condition on a keyed table (params, tags, metrics): IS NULL asks whether the key is absent;
 * anything else holds only when the key is present and its value passes.
 */
export function keyedCondition(keyed: KeyedTable, condition: Condition, params: SqlParams): string {
  if (condition.kind === "isNull") {
    const present = keyedExists(keyed, [{ key: condition.field.key }], params);
    return condition.negated ? present : `NOT ${present}`;
  }
  return keyedExists(keyed, [{ key: condition.field.key, test: (column) => keyedValueTest(keyed, condition, column, params) }], params);
}

/** One LEFT JOIN per sorted key (`boundKey`: its bind placeholder); at most one row per owner, because (owner, key) is unique. */
export function keyedJoin(keyed: KeyedTable, alias: string, boundKey: string): string {
  return `LEFT JOIN ${keyed.table} AS ${alias} ON ${alias}.${keyed.ownerColumn} = ${keyed.owner} AND ${alias}."key" = ${boundKey}`;
}

/** Missing values sort last in both directions, as in MLflow. */
export function orderTerm(expression: string, ascending: boolean): string {
  return `${expression} ${ascending ? "ASC" : "DESC"} NULLS LAST`;
}

/**
 * A metric sorts numbers first, then NaN, then missing values, in both directions (MLflow's order);
 * PostgreSQL alone would put NaN above every number, so first in DESC order.
 */
export function metricOrderTerms(value: string, ascending: boolean): string[] {
  return [`CASE WHEN ${value} IS NULL THEN 2 WHEN ${value} = 'NaN' THEN 1 ELSE 0 END`, orderTerm(value, ascending)];
}

const VIEW_TYPE_STAGES: Readonly<Record<ViewType, LifecycleStage | null>> = {
  ACTIVE_ONLY: "active",
  DELETED_ONLY: "deleted",
  ALL: null,
};

/** The lifecycle condition of a view type, or none for ALL. */
export function lifecycleTest(column: string, viewType: ViewType, params: SqlParams): string[] {
  if (!Object.hasOwn(VIEW_TYPE_STAGES, viewType)) {
    throw badInput(`Invalid view type '${String(viewType)}': use ACTIVE_ONLY, DELETED_ONLY or ALL`);
  }
  const stage = VIEW_TYPE_STAGES[viewType];
  return stage ? [`${column} = ${params.bind(stage, "text")}`] : [];
}

/** The SQL column of an attribute the parser has resolved (so a miss is a bug, not bad input). */
export function columnOf(columns: Readonly<Record<string, string>>, key: string): string {
  if (!Object.hasOwn(columns, key)) throw new Error(`no column for attribute '${key}'`);
  return columns[key]!;
}

export function pageClause(page: Page, params: SqlParams): string {
  return `LIMIT ${params.bind(page.maxResults + 1, "integer")} OFFSET ${params.bind(page.offset, "integer")}`;
}

/** The one shape every compiled search has: ids of `table`, filtered, ordered, one row past the page. */
export function selectIds(
  table: string,
  parts: { joins?: string[]; where: string[]; orderBy: string[] },
  page: Page,
  params: SqlParams,
): CompiledSearch {
  const sql = [
    `SELECT "${table}"."id" FROM "${table}"`,
    ...(parts.joins ?? []),
    `WHERE ${parts.where.join("\n  AND ")}`,
    `ORDER BY ${parts.orderBy.join(", ")}`,
    pageClause(page, params),
  ].join("\n");
  return { sql, params: params.values, page };
}
