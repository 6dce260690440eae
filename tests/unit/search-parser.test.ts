import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  compileRunSearch,
  nextPageToken,
  parseFilter,
  parseOrderBy,
  type Condition,
  type Field,
  type FilterExpr,
  type NumberOperator,
  type SearchEntity,
  type TextOperator,
} from "@/server/services/tracking-search";

const metric = (key: string): Field => ({ type: "metric", key });
const param = (key: string): Field => ({ type: "param", key });
const tag = (key: string): Field => ({ type: "tag", key });
const attribute = (key: string): Field => ({ type: "attribute", key });
const dataset = (key: string): Field => ({ type: "dataset", key });
const num = (field: Field, op: NumberOperator, value: number): Condition => ({ kind: "number", field, op, value });
const text = (field: Field, op: TextOperator, value: string): Condition => ({ kind: "text", field, op, value });
const and = (...operands: FilterExpr[]): FilterExpr => ({ kind: "and", operands });
const or = (...operands: FilterExpr[]): FilterExpr => ({ kind: "or", operands });

/** The message of the BAD_INPUT error `call` throws; fails on success or on any other error. */
function badInputMessage(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    if (error instanceof AppError && error.code === "BAD_INPUT") return error.message;
    throw error;
  }
  throw new Error("expected a BAD_INPUT error, but the call succeeded");
}

describe("parseFilter: identifiers", () => {
  it.each([
    ["metrics.acc > 0.5", num(metric("acc"), ">", 0.5)],
    ["metric.acc > 0.5", num(metric("acc"), ">", 0.5)],
    ["METRICS.acc > 0.5", num(metric("acc"), ">", 0.5)],
    ["params.lr = '0.1'", text(param("lr"), "=", "0.1")],
    ["param.lr = '0.1'", text(param("lr"), "=", "0.1")],
    ["parameters.lr = '0.1'", text(param("lr"), "=", "0.1")],
    ["parameter.lr = '0.1'", text(param("lr"), "=", "0.1")],
    ["tags.team = 'x'", text(tag("team"), "=", "x")],
    ["tag.team = 'x'", text(tag("team"), "=", "x")],
    ["attributes.status = 'x'", text(attribute("status"), "=", "x")],
    ["attribute.status = 'x'", text(attribute("status"), "=", "x")],
    ["attr.status = 'x'", text(attribute("status"), "=", "x")],
    ["run.status = 'x'", text(attribute("status"), "=", "x")],
    ["status = 'x'", text(attribute("status"), "=", "x")],
    ["STATUS = 'x'", text(attribute("status"), "=", "x")],
    ["dataset.name = 'x'", text(dataset("name"), "=", "x")],
    ["datasets.digest = 'x'", text(dataset("digest"), "=", "x")],
    ["dataset.context = 'x'", text(dataset("context"), "=", "x")],
    ["created > 5", num(attribute("start_time"), ">", 5)],
    ["Created > 5", num(attribute("start_time"), ">", 5)],
    ["start_time > 5", num(attribute("start_time"), ">", 5)],
    ["end_time <= 5", num(attribute("end_time"), "<=", 5)],
    ["run name = 'x'", text(attribute("run_name"), "=", "x")],
    ["Run Name = 'x'", text(attribute("run_name"), "=", "x")],
    ['"run name" = \'x\'', text(attribute("run_name"), "=", "x")],
    ["attributes.`run name` = 'x'", text(attribute("run_name"), "=", "x")],
    ["run_name = 'x'", text(attribute("run_name"), "=", "x")],
    ["user_id = 'x'", text(attribute("user_id"), "=", "x")],
    ["artifact_uri LIKE 's3://%'", text(attribute("artifact_uri"), "LIKE", "s3://%")],
    ["run_id = 'abc'", text(attribute("run_id"), "=", "abc")],
  ])("%s", (filter, expected) => {
    expect(parseFilter(filter, "run")).toEqual(expected);
  });

  it("keeps metric, param and tag keys exactly, dots and case included", () => {
    expect(parseFilter("tags.mlflow.runName = 'x'", "run")).toEqual(text(tag("mlflow.runName"), "=", "x"));
    expect(parseFilter("metrics.Val_Loss_2 < 1", "run")).toEqual(num(metric("Val_Loss_2"), "<", 1));
    expect(parseFilter("metrics.0 < 1", "run")).toEqual(num(metric("0"), "<", 1));
  });

  it.each([
    ['params."learning-rate" = \'x\'', param("learning-rate")],
    ["params.`learning rate` = 'x'", param("learning rate")],
    ["tags.`mlflow.source.git.commit` = 'x'", tag("mlflow.source.git.commit")],
    ["tags.'with quote' = 'x'", tag("with quote")],
    ['metrics."a""b" = 1', metric('a"b')],
    ["metrics.`a``b` = 1", metric("a`b")],
  ])("quoted key %s", (filter, field) => {
    const parsed = parseFilter(filter, "run") as Condition;
    expect(parsed.field).toEqual(field);
  });
});

describe("parseFilter: values and operators", () => {
  it.each([
    ["metrics.a = 1", 1],
    ["metrics.a = -1", -1],
    ["metrics.a = 0.25", 0.25],
    ["metrics.a = .5", 0.5],
    ["metrics.a = -.5", -0.5],
    ["metrics.a = 5.", 5],
    ["metrics.a = 1e3", 1000],
    ["metrics.a = 2.5E-3", 0.0025],
    ["metrics.a = -1e+2", -100],
    ["metrics.a=-3", -3],
  ])("number %s", (filter, value) => {
    expect(parseFilter(filter, "run")).toEqual(num(metric("a"), "=", value));
  });

  it.each(["=", "!=", "<", "<=", ">", ">="] as const)("metric operator %s", (op) => {
    expect(parseFilter(`metrics.a ${op} 1`, "run")).toEqual(num(metric("a"), op, 1));
  });

  it.each(["=", "!=", "LIKE", "ILIKE"] as const)("text operator %s, case-insensitive", (op) => {
    expect(parseFilter(`params.a ${op.toLowerCase()} 'v'`, "run")).toEqual(text(param("a"), op, "v"));
  });

  it.each([
    ["params.a = 'it''s'", "it's"],
    ["params.a = 'it\\'s'", "it's"],
    ["params.a = \"say \"\"hi\"\"\"", 'say "hi"'],
    ['params.a = "say \\"hi\\""', 'say "hi"'],
    ["params.a = 'back\\\\slash'", "back\\slash"],
    ["params.a = '50\\%'", "50\\%"],
    ["params.a = ''", ""],
    ["params.a = 'a AND b OR (c)'", "a AND b OR (c)"],
    ["params.a = 'ünïcødé ✓'", "ünïcødé ✓"],
  ])("string %s", (filter, value) => {
    expect(parseFilter(filter, "run")).toEqual(text(param("a"), "=", value));
  });

  it("reads IN and NOT IN lists for run_id and datasets", () => {
    expect(parseFilter("run_id IN ('a', \"b\",'c')", "run")).toEqual({
      kind: "in",
      field: attribute("run_id"),
      negated: false,
      values: ["a", "b", "c"],
    });
    expect(parseFilter("dataset.name not in ('x')", "run")).toEqual({
      kind: "in",
      field: dataset("name"),
      negated: true,
      values: ["x"],
    });
  });

  it("reads IS NULL and IS NOT NULL for params and tags", () => {
    expect(parseFilter("params.a IS NULL", "run")).toEqual({ kind: "isNull", field: param("a"), negated: false });
    expect(parseFilter("tags.a is not null", "run")).toEqual({ kind: "isNull", field: tag("a"), negated: true });
  });

  it("treats an empty or blank filter as no filter", () => {
    expect(parseFilter("", "run")).toBeNull();
    expect(parseFilter("  \n\t", "experiment")).toBeNull();
  });
});

describe("parseFilter: AND, OR and parentheses", () => {
  const a = num(metric("a"), "=", 1);
  const b = num(metric("b"), "=", 2);
  const c = num(metric("c"), "=", 3);
  const d = num(metric("d"), "=", 4);

  it.each([
    ["metrics.a = 1 AND metrics.b = 2 AND metrics.c = 3", and(a, b, c)],
    ["metrics.a = 1 and metrics.b = 2 AnD metrics.c = 3", and(a, b, c)],
    ["metrics.a = 1 OR metrics.b = 2 OR metrics.c = 3", or(a, b, c)],
    ["metrics.a = 1 OR metrics.b = 2 AND metrics.c = 3", or(a, and(b, c))],
    ["metrics.a = 1 AND metrics.b = 2 OR metrics.c = 3", or(and(a, b), c)],
    ["metrics.a = 1 AND metrics.b = 2 OR metrics.c = 3 AND metrics.d = 4", or(and(a, b), and(c, d))],
    ["(metrics.a = 1 OR metrics.b = 2) AND metrics.c = 3", and(or(a, b), c)],
    ["metrics.a = 1 AND (metrics.b = 2 OR metrics.c = 3)", and(a, or(b, c))],
    ["metrics.a = 1 AND (metrics.b = 2 AND metrics.c = 3)", and(a, b, c)],
    ["((metrics.a = 1))", a],
    ["(metrics.a = 1 OR (metrics.b = 2 OR metrics.c = 3))", or(a, b, c)],
    ["((metrics.a=1)or(metrics.b=2))and(metrics.c=3)", and(or(a, b), c)],
  ])("%s", (filter, expected) => {
    expect(parseFilter(filter, "run")).toEqual(expected);
  });

  it("accepts parentheses 50 deep and refuses 51 with the position of the 51st", () => {
    const nested = (depth: number) => "(".repeat(depth) + "metrics.a = 1" + ")".repeat(depth);
    expect(parseFilter(nested(50), "run")).toEqual(a);
    expect(() => parseFilter(nested(51), "run")).toThrow("Invalid filter at position 51: parentheses may nest at most 50 deep");
    // Deep enough to exhaust the stack were it not refused first: still a clear bad-input error.
    expect(() => parseFilter(nested(5000), "run")).toThrow(AppError);
  });

  it("does not mistake keys or values that contain AND and OR for connectives", () => {
    expect(parseFilter("params.ORDER = 'AND' AND tags.ANDROID = 'OR'", "run")).toEqual(
      and(text(param("ORDER"), "=", "AND"), text(tag("ANDROID"), "=", "OR")),
    );
  });
});

describe("parseFilter: experiments", () => {
  it.each([
    ["name = 'x'", text(attribute("name"), "=", "x")],
    ["attributes.name ILIKE 'x%'", text(attribute("name"), "ILIKE", "x%")],
    ["creation_time > 5", num(attribute("creation_time"), ">", 5)],
    ["last_update_time <= 5", num(attribute("last_update_time"), "<=", 5)],
    ["tags.team = 'x'", text(tag("team"), "=", "x")],
    ["tags.team IS NULL", { kind: "isNull", field: tag("team"), negated: false }],
  ])("%s", (filter, expected) => {
    expect(parseFilter(filter, "experiment")).toEqual(expected);
  });
});

describe("parseFilter: errors", () => {
  it.each<[string, string, SearchEntity?]>([
    // Syntax, with the 1-based position of the problem.
    ["metrics.acc >", "Invalid filter at position 14: expected a value after '>'"],
    ["metrics.acc > ", "Invalid filter at position 15: expected a value after '>'"],
    ["metrics.acc 0.5", "Invalid filter at position 13: expected an operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL) after 'metrics.acc', found the number 0.5"],
    ["metrics.acc", "Invalid filter at position 12: expected an operator"],
    ["metrics.acc == 1", "Invalid filter at position 13: unknown operator '=='; use '='"],
    ["metrics.acc <> 1", "Invalid filter at position 13: unknown operator '<>'; use '!='"],
    ["params.a = 'open", "Invalid filter at position 12: the ' opened here is never closed"],
    ['params."open = 1', 'Invalid filter at position 8: the " opened here is never closed'],
    ["params.learning-rate = '1'", "Invalid filter at position 16: unexpected character '-'; quote keys that contain special characters, e.g. params.`learning-rate`"],
    ["metrics.a = 1 ; DROP", "Invalid filter at position 15: unexpected character ';'"],
    ["metrics.a = 5abc", "Invalid filter at position 13: invalid number '5abc'"],
    ["metrics.a = 1.2.3", "Invalid filter at position 13: invalid number '1.2.3'"],
    ["metrics.a = 1e999", "Invalid filter at position 13: number '1e999' is out of range"],
    ["metrics.a = 1 metrics.b = 2", "Invalid filter at position 15: expected AND, OR or the end of the filter, found 'metrics.b'"],
    ["metrics.a = 1 AND", "Invalid filter at position 18: expected a condition after 'AND', found the end of the text"],
    ["AND metrics.a = 1", "Invalid filter at position 1: expected a condition, found 'AND'"],
    ["metrics.a = 1 OR OR metrics.b = 1", "Invalid filter at position 18: expected a condition after 'OR', found 'OR'"],
    ["(metrics.a = 1", "Invalid filter at position 15: expected ')' to close the '(' at position 1, found the end of the text"],
    ["metrics.a = 1)", "Invalid filter at position 14: this ')' has no matching '('"],
    ["()", "Invalid filter at position 2: expected a condition after '(', found ')'"],
    ["params.", "Invalid filter at position 8: expected a key right after 'params.', found the end of the text"],
    ["params. 'x' = 'y'", "Invalid filter at position 9: expected a key right after 'params.'"],
    ['params."" = \'y\'', "Invalid filter at position 8: the key after 'params.' is empty"],
    ["'status' = 'x'", "Invalid filter at position 1: expected a key such as metrics.accuracy, params.lr or start_time, found the string 'status'"],
    ["= 1", "Invalid filter at position 1: expected a key such as"],
    ["params.a NOT LIKE 'x'", "Invalid filter at position 14: expected IN after NOT (NOT IN is the only negated operator), found 'LIKE'"],
    ["params.a IS 'x'", "Invalid filter at position 13: expected NULL after 'IS', found the string 'x'"],
    ["params.a IS NOT", "Invalid filter at position 16: expected NULL after 'IS NOT', found the end of the text"],
    // Identifiers.
    ["foo = 'x'", "Invalid filter at position 1: invalid attribute key 'foo'. Valid keys: run_id, run_name, user_id, status, artifact_uri, start_time, end_time (also created, run name)"],
    ["attributes.lifecycle_stage = 'x'", "Invalid filter at position 1: invalid attribute key 'lifecycle_stage'"],
    ["metricz.acc > 1", "Invalid filter at position 1: invalid entity type 'metricz'. Valid types in run filters: attributes, metrics, params, tags, datasets"],
    ["dataset.source = 'x'", "Invalid filter at position 1: invalid dataset key 'source'. Valid keys: name, digest, context"],
    ["metrics.acc > 1", "Invalid filter at position 1: metrics cannot be used in experiment filters. Valid types in experiment filters: attributes, tags", "experiment"],
    ["experiment_id = 1", "Invalid filter at position 1: invalid attribute key 'experiment_id'. Valid keys: name, creation_time, last_update_time", "experiment"],
    // Operators per identifier type.
    ["metrics.acc LIKE '%'", "Invalid filter at position 13: operator 'LIKE' is not allowed for metrics; use one of =, !=, <, <=, >, >="],
    ["metrics.acc IS NULL", "Invalid filter at position 13: operator 'IS NULL' is not allowed for metrics"],
    ["metrics.acc IN ('1')", "Invalid filter at position 13: operator 'IN' is not allowed for metrics"],
    ["params.lr > '1'", "Invalid filter at position 11: operator '>' is not allowed for params; use one of =, !=, LIKE, ILIKE, IS NULL, IS NOT NULL"],
    ["tags.t IN ('a')", "Invalid filter at position 8: operator 'IN' is not allowed for tags"],
    ["status IN ('a')", "Invalid filter at position 8: operator 'IN' is not allowed for attribute 'status'"],
    ["status IS NULL", "Invalid filter at position 8: operator 'IS NULL' is not allowed for attribute 'status'"],
    ["start_time LIKE '1%'", "Invalid filter at position 12: operator 'LIKE' is not allowed for attribute 'start_time'"],
    ["dataset.name IS NULL", "Invalid filter at position 14: operator 'IS NULL' is not allowed for dataset.name"],
    ["name IN ('a')", "Invalid filter at position 6: operator 'IN' is not allowed for attribute 'name'", "experiment"],
    // Values of the wrong type.
    ["metrics.acc > '0.5'", "Invalid filter at position 15: expected an unquoted number after '>' for metrics, found the string '0.5'"],
    ["metrics.acc > abc", "Invalid filter at position 15: expected an unquoted number after '>' for metrics, found 'abc'"],
    ["params.lr = 0.1", "Invalid filter at position 13: expected a quoted string after '=' for params (e.g. '0.01'), found the number 0.1"],
    ["params.lr = `x`", "Invalid filter at position 13: expected a quoted string after '='"],
    ["status = FINISHED", "Invalid filter at position 10: expected a quoted string after '=' for attribute 'status'"],
    ["start_time > 1.5", "Invalid filter at position 14: attribute 'start_time' takes whole milliseconds since the epoch, found 1.5"],
    ["created > '5'", "Invalid filter at position 11: expected an unquoted number after '>' for attribute 'start_time'"],
    // Lists.
    ["run_id IN 'a'", "Invalid filter at position 11: expected a list of quoted strings after 'IN', e.g. ('a', 'b'), found the string 'a'"],
    ["run_id IN ()", "Invalid filter at position 12: the list after 'IN' is empty"],
    ["run_id IN ('a',)", "Invalid filter at position 16: expected a quoted string in the list after 'IN', found ')'"],
    ["run_id IN ('a', 1)", "Invalid filter at position 17: expected a quoted string in the list after 'IN', found the number 1"],
    ["run_id NOT IN ('a' 'b')", "Invalid filter at position 20: expected ',' or ')' in the list after 'NOT IN', found the string 'b'"],
    ["run_id IN ('a'", "Invalid filter at position 15: expected ',' or ')' in the list after 'IN', found the end of the text"],
  ])("%s", (filter, message, entity = "run") => {
    expect(badInputMessage(() => parseFilter(filter, entity))).toContain(message);
  });
});

describe("parseOrderBy", () => {
  it("reads keys as filters do, ascending unless DESC", () => {
    expect(
      parseOrderBy(
        ["metrics.acc DESC", "params.`learning rate`", "tags.team asc", "created", "run name desc", "attributes.end_time Desc"],
        "run",
      ),
    ).toEqual([
      { field: metric("acc"), ascending: false },
      { field: param("learning rate"), ascending: true },
      { field: tag("team"), ascending: true },
      { field: attribute("start_time"), ascending: true },
      { field: attribute("run_name"), ascending: false },
      { field: attribute("end_time"), ascending: false },
    ]);
    expect(parseOrderBy(["experiment_id DESC", "name"], "experiment")).toEqual([
      { field: attribute("experiment_id"), ascending: false },
      { field: attribute("name"), ascending: true },
    ]);
    expect(parseOrderBy([], "run")).toEqual([]);
  });

  it.each<[string[], string, SearchEntity?]>([
    [["metrics.acc DESC", "metrics.acc"], "Invalid order_by: 'metrics.acc' sorts by the same key as 'metrics.acc DESC'; each key may appear once"],
    [["created", "start_time DESC"], "'start_time DESC' sorts by the same key as 'created'"],
    [["metrics.acc DESCENDING"], "Invalid order_by 'metrics.acc DESCENDING' at position 13: expected ASC, DESC or nothing after 'metrics.acc', found 'DESCENDING'"],
    [["metrics.acc DESC ASC"], "at position 18: expected ASC, DESC or nothing after 'metrics.acc', found 'ASC'"],
    [["metrics.acc, params.lr"], "Invalid order_by 'metrics.acc, params.lr' at position 12: expected ASC, DESC or nothing"],
    [[""], "Invalid order_by '' at position 1: expected a key such as metrics.accuracy"],
    [["dataset.name"], "Invalid order_by 'dataset.name' at position 1: datasets cannot be used in run order_by. Valid types in run order_by: attributes, metrics, params, tags"],
    [["foo"], "invalid attribute key 'foo'"],
    [["tags.team"], "tags cannot be used in experiment order_by", "experiment"],
    [["creation_time", "creation_time DESC"], "sorts by the same key", "experiment"],
  ])("refuses %j", (orderBy, message, entity = "run") => {
    expect(badInputMessage(() => parseOrderBy(orderBy, entity))).toContain(message);
  });
});

describe("compiled SQL", () => {
  const compile = (filter: string, orderBy: string[] = []) =>
    compileRunSearch({ projectId: "p", experimentIds: ["e"], filter, orderBy, viewType: "ACTIVE_ONLY", maxResults: 10 });

  it("binds every user value as a parameter and never writes it into the SQL", () => {
    const hostile = `'; DROP TABLE "Run"; --`;
    const { sql, params } = compile(`params."k'ey" = "${hostile.replaceAll('"', '""')}" OR run_id IN ('a''b')`, ["tags.`o'rder` DESC"]);
    expect(sql).not.toContain("DROP");
    expect(sql).not.toContain("k'ey");
    expect(sql).not.toContain("o'rder");
    expect(sql).not.toContain("a'b");
    expect(params).toEqual(expect.arrayContaining([hostile, "k'ey", "o'rder", ["a'b"]]));
  });

  it("keeps the parsed precedence with explicit parentheses", () => {
    const { sql } = compile("metrics.a = 1 OR metrics.b = 2 AND metrics.c = 3");
    expect(sql).toMatch(/\(EXISTS \(.+\) OR \(EXISTS \(.+\) AND EXISTS \(.+\)\)\)/);
  });

  it("joins once per sorted key and always ends with the tie-breakers", () => {
    const { sql } = compile("", ["params.lr", "metrics.acc DESC"]);
    expect(sql.match(/LEFT JOIN/g)).toHaveLength(2);
    expect(sql).toMatch(/ORDER BY .+"Run"\."startTime" DESC, "Run"\."id" ASC\nLIMIT/);
  });

  it("reads an order led by a metric in sections, each only when the ones before it fall short", () => {
    const descending = compile("", ["metrics.acc DESC", "params.lr"]).sql;
    expect(descending.match(/"(\w+)" AS MATERIALIZED/g)).toEqual(['"numbers" AS MATERIALIZED', '"nan" AS MATERIALIZED', '"missing" AS MATERIALIZED']);
    expect(descending).toMatch(/"o0"\."value" < 'NaN'[\s\S]+ORDER BY "o0"\."value" DESC, /);
    expect(descending).toMatch(/\(SELECT count\(\*\) FROM "numbers"\) \+ \(SELECT count\(\*\) FROM "nan"\) < \$\d+::integer/);
    expect(descending).toMatch(/ORDER BY CASE WHEN "page"\."k0" IS NULL .+"page"\."k2" DESC, "page"\."k3" ASC\nLIMIT/);
    const ascending = compile("", ["metrics.acc"]).sql;
    expect(ascending.match(/"(\w+)" AS MATERIALIZED/g)).toEqual(['"values" AS MATERIALIZED', '"missing" AS MATERIALIZED']);
    expect(ascending).toMatch(/ORDER BY "o0"\."value" ASC, /);
  });

  it("asks for one row more than a page, and tokens move by a page", () => {
    const { params, page } = compile("");
    expect(params.slice(-2)).toEqual([11, 0]);
    expect(nextPageToken(page, 10)).toBeUndefined();
    const token = nextPageToken(page, 11);
    const next = compileRunSearch({ projectId: "p", experimentIds: ["e"], filter: "", viewType: "ACTIVE_ONLY", maxResults: 10, pageToken: token });
    expect(next.page.offset).toBe(10);
    expect(next.params.slice(-2)).toEqual([11, 10]);
  });

  it("accepts a token whatever the page size or spelling of the same search", () => {
    const first = compileRunSearch({ projectId: "p", experimentIds: ["e", "f"], filter: "metrics.a > 1 and params.b = 'x'", viewType: "ALL", maxResults: 5 });
    const token = nextPageToken(first.page, 6);
    const again = compileRunSearch({ projectId: "p", experimentIds: ["f", "e"], filter: "(metrics.a > 1) AND params.b = \"x\"", viewType: "ALL", maxResults: 50, pageToken: token });
    expect(again.page.offset).toBe(5);
  });
});
