import type { Page } from "./page-token";
import { metricOrderTerms, pageClause, type CompiledSearch, type SqlParams } from "./sql";

/** One key of an ORDER BY: the value sorted by, and how. */
export interface SortKey {
  expression: string;
  ascending: boolean;
  /** Metrics sort numbers, then NaN, then missing values (MLflow's order), in both directions. */
  metric: boolean;
  /** Missing values last; left off for columns that are never null, so an index can still give the order. */
  nullsLast: boolean;
}

/** The ORDER BY terms of a key, on `expression` (the key's own by default). */
export function sortTerms(key: SortKey, expression = key.expression): string[] {
  if (key.metric) return metricOrderTerms(expression, key.ascending);
  return [`${expression} ${key.ascending ? "ASC" : "DESC"}${key.nullsLast ? " NULLS LAST" : ""}`];
}

export interface MetricFirstSearch {
  /** The bound key of the metric sorted by first. */
  metricKey: string;
  ascending: boolean;
  /** The LEFT JOINs of the keys after the first (aliases other than "o0"). */
  joins: string[];
  where: string[];
  /** The keys after the first, tie-breakers included. */
  rest: SortKey[];
}

/**
 * A search sorted first by a metric, written so that the metric's (key, value) index can give the
 * order: reading a page then means reading about a page of that index, not sorting every matching
 * run. MLflow's order puts NaN and missing values after the numbers in both directions, which no
 * index order gives, so the runs are taken in sections that follow one another in that order: the
 * values in index order (descending: the numbers only), then NaN (descending only), then the runs
 * without the metric. Each section keeps at most offset + page + 1 runs, the most a page can need
 * from it, and is read only when the sections before it hold fewer: the section of missing values
 * scans every matching run, which a page of a metric that every run has never needs. The page is
 * then cut from the sections' runs by the whole ORDER BY, exactly as from all matching runs.
 */
export function selectIdsByMetric(search: MetricFirstSearch, page: Page, params: SqlParams): CompiledSearch {
  const window = params.bind(page.offset + page.maxResults + 1, "integer");
  const { metricKey, ascending, joins, rest } = search;
  const where = search.where.join("\n    AND ");
  const columns = (value: string) => [`"Run"."id" AS "id"`, `${value} AS "k0"`, ...rest.map((key, index) => `${key.expression} AS "k${index + 1}"`)].join(", ");
  const restTerms = rest.flatMap((key) => sortTerms(key));
  const withMetric = (valueTest: string, order: string[], gate?: string) =>
    [
      `SELECT ${columns('"o0"."value"')}`,
      `  FROM "LatestMetric" AS "o0" JOIN "Run" ON "Run"."seq" = "o0"."runSeq"`,
      ...joins.map((join) => `  ${join}`),
      `  WHERE "o0"."key" = ${metricKey}${valueTest}`,
      `    AND ${where}${gate ? `\n    AND ${gate}` : ""}`,
      `  ORDER BY ${order.join(", ")}`,
      `  LIMIT ${window}`,
    ].join("\n");
  const sections: [string, string][] = ascending
    ? [["values", withMetric("", ['"o0"."value" ASC', ...restTerms])]]
    : [
        // NaN is above every number in PostgreSQL's order, so `< 'NaN'` is every number, in index order.
        ["numbers", withMetric(` AND "o0"."value" < 'NaN'`, ['"o0"."value" DESC', ...restTerms])],
        ["nan", withMetric(` AND "o0"."value" = 'NaN'`, restTerms, `${countOf(["numbers"])} < ${window}`)],
      ];
  const earlier = sections.map(([name]) => name);
  sections.push([
    "missing",
    [
      `SELECT ${columns("NULL::double precision")}`,
      `  FROM "Run"`,
      ...joins.map((join) => `  ${join}`),
      `  WHERE NOT EXISTS (SELECT 1 FROM "LatestMetric" AS "o0" WHERE "o0"."runSeq" = "Run"."seq" AND "o0"."key" = ${metricKey})`,
      `    AND ${where}`,
      `    AND ${countOf(earlier)} < ${window}`,
      `  ORDER BY ${restTerms.join(", ")}`,
      `  LIMIT ${window}`,
    ].join("\n"),
  ]);
  const first: SortKey = { expression: '"page"."k0"', ascending, metric: true, nullsLast: true };
  const pageTerms = [first, ...rest].flatMap((key, index) => sortTerms(key, `"page"."k${index}"`));
  const sql = [
    `WITH ${sections.map(([name, body]) => `"${name}" AS MATERIALIZED (\n  ${body}\n)`).join(",\n")}`,
    `SELECT "page"."id" FROM (${sections.map(([name]) => `SELECT * FROM "${name}"`).join(" UNION ALL ")}) AS "page"`,
    `ORDER BY ${pageTerms.join(", ")}`,
    pageClause(page, params),
  ].join("\n");
  return { sql, params: params.values, page };
}

const countOf = (sections: string[]) => sections.map((name) => `(SELECT count(*) FROM "${name}")`).join(" + ");
