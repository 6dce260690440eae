import { COMPARATORS, type Comparator, type MetricRule, type MetricRuleResult, type RuleDirection, type RuleOperand } from "./types";

/**
 * The check grammar (docs/approval-policy.md):
 *
 *   rule    := "metrics." key comparator operand
 *   key     := [A-Za-z0-9_.\-/]+  |  "`" any characters but "`" "`"
 *   operand := number | "current" [ ("*" | "+" | "-") number ]
 *
 * A failure names the 0-based offset in the rule text, so the YAML parser can point at the column.
 */
export type RuleParse = { ok: true; rule: MetricRule } | { ok: false; offset: number; message: string };

const DIRECTIONS: Record<Comparator, RuleDirection> = { ">=": "higher", ">": "higher", "<=": "lower", "<": "lower", "==": "equal" };
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const PLAIN_KEY = /^[A-Za-z0-9_.\-/]+/;

class RuleError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** A cursor over the rule text that skips spaces between tokens. */
class Reader {
  position = 0;
  constructor(readonly text: string) {}

  skipSpaces() {
    while (this.text[this.position] === " " || this.text[this.position] === "\t") this.position++;
  }

  rest() {
    return this.text.slice(this.position);
  }

  atEnd() {
    this.skipSpaces();
    return this.position >= this.text.length;
  }

  /** What is here, for messages: the next word, or "the end of the rule". */
  here() {
    const word = /^\S+/.exec(this.rest())?.[0];
    return word ? `'${word}'` : "the end of the rule";
  }

  fail(message: string): never {
    throw new RuleError(this.position, message);
  }
}

function readKey(reader: Reader): string {
  if (!reader.rest().startsWith("metrics.")) {
    reader.fail(`A check starts with 'metrics.<name>' (e.g. 'metrics.accuracy >= current'), not ${reader.here()}`);
  }
  reader.position += "metrics.".length;
  if (reader.rest().startsWith("`")) {
    const end = reader.text.indexOf("`", reader.position + 1);
    if (end < 0) reader.fail("The metric name's opening '`' has no closing '`'");
    const key = reader.text.slice(reader.position + 1, end);
    if (!key) reader.fail("The metric name between '`' is empty");
    reader.position = end + 1;
    return key;
  }
  const key = PLAIN_KEY.exec(reader.rest())?.[0];
  if (!key) reader.fail("Expected a metric name after 'metrics.' (write names with spaces or other characters as metrics.`my metric`)");
  reader.position += key.length;
  return key;
}

function readComparator(reader: Reader, key: string): Comparator {
  reader.skipSpaces();
  // Longest first, so ">=" is not read as ">" followed by "=".
  const comparator = [...COMPARATORS].sort((a, b) => b.length - a.length).find((candidate) => reader.rest().startsWith(candidate));
  if (!comparator) {
    const written = /^[=<>!]+/.exec(reader.rest())?.[0];
    reader.fail(
      written
        ? `Unknown comparison '${written}': use one of ${COMPARATORS.join(", ")}`
        : `Expected a comparison (${COMPARATORS.join(", ")}) after 'metrics.${key}', found ${reader.here()}`,
    );
  }
  reader.position += comparator.length;
  return comparator;
}

function readNumber(reader: Reader, what: string): number {
  reader.skipSpaces();
  const literal = NUMBER.exec(reader.rest())?.[0];
  if (!literal) reader.fail(`Expected ${what}, found ${reader.here()}`);
  const value = Number(literal);
  if (!Number.isFinite(value)) reader.fail(`The number ${literal} is out of range`);
  reader.position += literal.length;
  return value;
}

function readOperand(reader: Reader): RuleOperand {
  reader.skipSpaces();
  if (/^current\b/.test(reader.rest())) {
    reader.position += "current".length;
    if (reader.atEnd()) return { kind: "current", adjust: null };
    const op = reader.rest()[0];
    if (op !== "*" && op !== "+" && op !== "-") {
      reader.fail(`After 'current' only '* <number>', '+ <number>' or '- <number>' may follow, not ${reader.here()}`);
    }
    reader.position++;
    return { kind: "current", adjust: { op, value: readNumber(reader, `a number after 'current ${op}'`) } };
  }
  return { kind: "number", value: readNumber(reader, "a number or 'current' on the right side") };
}

export function parseMetricRule(text: string): RuleParse {
  const reader = new Reader(text);
  try {
    reader.skipSpaces();
    const metric = readKey(reader);
    const comparator = readComparator(reader, metric);
    const right = readOperand(reader);
    if (!reader.atEnd()) reader.fail(`Unexpected ${reader.here()} after the end of the check`);
    return { ok: true, rule: { text: text.trim(), metric, comparator, right, direction: DIRECTIONS[comparator] } };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}

/** The canonical text of a rule (what export writes). */
export function metricRuleText(rule: Omit<MetricRule, "text" | "direction">): string {
  const key = PLAIN_KEY.exec(rule.metric)?.[0] === rule.metric ? rule.metric : `\`${rule.metric}\``;
  return `metrics.${key} ${rule.comparator} ${operandText(rule.right)}`;
}

function operandText(operand: RuleOperand): string {
  if (operand.kind === "number") return String(operand.value);
  return operand.adjust ? `current ${operand.adjust.op} ${operand.adjust.value}` : "current";
}

function compare(left: number, comparator: Comparator, right: number): boolean {
  switch (comparator) {
    case ">=":
      return left >= right;
    case ">":
      return left > right;
    case "<=":
      return left <= right;
    case "<":
      return left < right;
    case "==":
      return left === right;
  }
}

function applyAdjust(current: number, adjust: { op: "*" | "+" | "-"; value: number } | null): number {
  if (!adjust) return current;
  if (adjust.op === "*") return current * adjust.value;
  return adjust.op === "+" ? current + adjust.value : current - adjust.value;
}

/** Said when no version holds the target yet: a rule against `current` has nothing to compare with. */
export const NO_HOLDER = "no holder";

/**
 * One rule against the candidate's value and the current holder's (`NO_HOLDER` when nothing holds the
 * target). A missing or non-numeric value fails with the reason; a `current` rule with no holder passes.
 */
export function evaluateMetricRule(
  rule: MetricRule,
  candidate: number | undefined,
  current: number | undefined | typeof NO_HOLDER,
): MetricRuleResult {
  const base = { rule: rule.text, metric: rule.metric, direction: rule.direction };
  const currentValue = typeof current === "number" ? current : null;
  const result = (passed: boolean, threshold: number | null, detail: string): MetricRuleResult => ({
    ...base,
    passed,
    candidate: candidate ?? null,
    current: currentValue,
    threshold,
    detail,
  });
  if (candidate === undefined || Number.isNaN(candidate)) {
    return result(false, null, `The candidate has no ${candidate === undefined ? "value" : "numeric value (NaN)"} for metric '${rule.metric}'`);
  }
  let threshold: number;
  if (rule.right.kind === "number") {
    threshold = rule.right.value;
  } else if (current === NO_HOLDER) {
    return result(true, null, `Nothing holds the target yet, so there is no current ${rule.metric} to compare with (${candidate})`);
  } else if (current === undefined || Number.isNaN(current)) {
    return result(false, null, `The current holder has no ${current === undefined ? "value" : "numeric value (NaN)"} for metric '${rule.metric}'`);
  } else {
    threshold = applyAdjust(current, rule.right.adjust);
  }
  const passed = compare(candidate, rule.comparator, threshold);
  const against = rule.right.kind === "current" ? ` (${operandText(rule.right)}, current = ${current})` : "";
  return result(passed, threshold, `${rule.metric} ${candidate} ${passed ? "" : "not "}${rule.comparator} ${threshold}${against}`);
}
