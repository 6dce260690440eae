import { badInput } from "@/lib/errors";
import type { Condition, Field, FilterExpr, NumberOperator, SearchEntity, TextOperator } from "./ast";
import { Cursor, describe } from "./cursor";
import { readField } from "./identifier";
import type { Token } from "./tokenizer";
import { fieldLabel, operatorsFor, rulesFor, type ValueRules } from "./vocabulary";

/**
 * Parses an MLflow search filter for runs or experiments into a tree (null for an empty filter).
 * Beyond MLflow's `clause AND clause ...`, it accepts OR and parentheses, with AND binding tighter
 * than OR. Every problem is a BAD_INPUT error naming the 1-based position and what was expected.
 */
export function parseFilter(text: string, entity: SearchEntity): FilterExpr | null {
  if (text.trim() === "") return null;
  const cursor = new Cursor(text, (position, message) =>
    badInput(`Invalid filter at position ${position + 1}: ${message}`),
  );
  const expr = parseOr(cursor, entity, 0);
  const rest = cursor.peek();
  if (rest.kind === ")") throw cursor.fail(rest, "this ')' has no matching '('");
  if (rest.kind !== "end") throw cursor.fail(rest, `expected AND, OR or the end of the filter, found ${describe(rest)}`);
  return expr;
}

/** Deep enough for any filter a person writes; deeper ones would exhaust the parser's stack. */
export const MAX_PARENTHESES_DEPTH = 50;

function parseOr(cursor: Cursor, entity: SearchEntity, depth: number): FilterExpr {
  const operands = [parseAnd(cursor, entity, depth)];
  while (cursor.takeKeyword("OR")) operands.push(parseAnd(cursor, entity, depth));
  return group("or", operands);
}

function parseAnd(cursor: Cursor, entity: SearchEntity, depth: number): FilterExpr {
  const operands = [parseTerm(cursor, entity, depth)];
  while (cursor.takeKeyword("AND")) operands.push(parseTerm(cursor, entity, depth));
  return group("and", operands);
}

/** Flattens nested groups of the same kind, so `a AND (b AND c)` and `a AND b AND c` are one tree. */
function group(kind: "and" | "or", operands: FilterExpr[]): FilterExpr {
  if (operands.length === 1) return operands[0]!;
  return { kind, operands: operands.flatMap((operand) => (operand.kind === kind ? operand.operands : [operand])) };
}

function parseTerm(cursor: Cursor, entity: SearchEntity, depth: number): FilterExpr {
  const token = cursor.peek();
  if (token.kind === "(") {
    if (depth === MAX_PARENTHESES_DEPTH) throw cursor.fail(token, `parentheses may nest at most ${MAX_PARENTHESES_DEPTH} deep`);
    cursor.next();
    const inner = parseOr(cursor, entity, depth + 1);
    const close = cursor.next();
    if (close.kind !== ")") {
      throw cursor.fail(close, `expected ')' to close the '(' at position ${token.start + 1}, found ${describe(close)}`);
    }
    return inner;
  }
  if (token.kind === "end" || token.kind === ")" || isConnective(token)) {
    const previous = cursor.previous();
    const after = previous ? ` after '${previous.source}'` : "";
    throw cursor.fail(token, `expected a condition${after}, found ${describe(token)}`);
  }
  return parseCondition(cursor, entity);
}

function isConnective(token: Token): boolean {
  return token.kind === "word" && ["AND", "OR"].includes(token.source.toUpperCase());
}

function parseCondition(cursor: Cursor, entity: SearchEntity): Condition {
  const start = cursor.peek();
  const field = readField(cursor, entity, "filter");
  const fieldText = cursor.since(start);
  const rules = rulesFor(entity, field);
  const operatorToken = cursor.peek();
  const op = readOperator(cursor, fieldText);
  const allowed = operatorsFor(rules);
  if (!allowed.includes(op)) {
    const message = `operator '${op}' is not allowed for ${fieldLabel(field)}; use one of ${allowed.join(", ")}`;
    throw cursor.fail(operatorToken, message);
  }

  switch (op) {
    case "IS NULL":
    case "IS NOT NULL":
      return { kind: "isNull", field, negated: op === "IS NOT NULL" };
    case "IN":
    case "NOT IN":
      return { kind: "in", field, negated: op === "NOT IN", values: readList(cursor, op) };
  }
  // What is left is a comparison that `allowed` has already matched to the field's kind.
  if (rules.kind === "string") return { kind: "text", field, op: op as TextOperator, value: readString(cursor, op, field) };
  return { kind: "number", field, op: op as NumberOperator, value: readNumber(cursor, op, field, rules) };
}

type Operator = NumberOperator | TextOperator | "IN" | "NOT IN" | "IS NULL" | "IS NOT NULL";

function readOperator(cursor: Cursor, fieldText: string): Operator {
  const token = cursor.next();
  if (token.kind === "operator") return token.op;
  if (token.kind === "word") {
    const word = token.source.toUpperCase();
    if (word === "LIKE" || word === "ILIKE" || word === "IN") return word;
    if (word === "NOT") {
      if (cursor.takeKeyword("IN")) return "NOT IN";
      const found = describe(cursor.peek());
      throw cursor.fail(cursor.peek(), `expected IN after NOT (NOT IN is the only negated operator), found ${found}`);
    }
    if (word === "IS") {
      const negated = cursor.takeKeyword("NOT");
      if (cursor.takeKeyword("NULL")) return negated ? "IS NOT NULL" : "IS NULL";
      const found = describe(cursor.peek());
      throw cursor.fail(cursor.peek(), `expected NULL after '${negated ? "IS NOT" : "IS"}', found ${found}`);
    }
  }
  const operators = "=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL";
  throw cursor.fail(token, `expected an operator (${operators}) after '${fieldText}', found ${describe(token)}`);
}

function readString(cursor: Cursor, op: string, field: Field): string {
  const token = cursor.next();
  if (token.kind === "string" && token.quote !== "`") return token.value;
  throw cursor.fail(
    token,
    token.kind === "end"
      ? `expected a value after '${op}'`
      : `expected a quoted string after '${op}' for ${fieldLabel(field)} (e.g. '0.01'), found ${describe(token)}`,
  );
}

function readNumber(cursor: Cursor, op: string, field: Field, rules: ValueRules): number {
  const token = cursor.next();
  if (token.kind !== "number") {
    throw cursor.fail(
      token,
      token.kind === "end"
        ? `expected a value after '${op}'`
        : `expected an unquoted number after '${op}' for ${fieldLabel(field)}, found ${describe(token)}`,
    );
  }
  if (rules.kind === "integer" && !Number.isSafeInteger(token.value)) {
    throw cursor.fail(token, `${fieldLabel(field)} takes whole milliseconds since the epoch, found ${token.source}`);
  }
  return token.value;
}

function readList(cursor: Cursor, op: string): string[] {
  const open = cursor.next();
  if (open.kind !== "(") {
    throw cursor.fail(open, `expected a list of quoted strings after '${op}', e.g. ('a', 'b'), found ${describe(open)}`);
  }
  const values: string[] = [];
  for (;;) {
    const item = cursor.next();
    if (item.kind === ")" && values.length === 0) throw cursor.fail(item, `the list after '${op}' is empty`);
    if (item.kind !== "string" || item.quote === "`") {
      throw cursor.fail(item, `expected a quoted string in the list after '${op}', found ${describe(item)}`);
    }
    values.push(item.value);
    const separator = cursor.next();
    if (separator.kind === ")") return values;
    if (separator.kind !== ",") {
      throw cursor.fail(separator, `expected ',' or ')' in the list after '${op}', found ${describe(separator)}`);
    }
  }
}
