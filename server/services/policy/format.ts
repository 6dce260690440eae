import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from "yaml";
import { MODEL_STAGES } from "@/lib/model-registry-states";
import { STANDARD_CARD_SECTIONS } from "@/lib/model-cards";
import { MAX_POLICY_TEXT } from "@/lib/schemas/policy";
import { aliasProblem, canonicalStage } from "@/lib/schemas/registry";
import { metricRuleText, parseMetricRule } from "./metric-rules";
import {
  APPROVER_ROLES,
  type ApprovalPolicy,
  type ApproverRole,
  type FreezeWindow,
  type MetricRule,
  type PolicyDocument,
  type PolicyEntry,
  type PolicyProblem,
  type PolicyTarget,
} from "./types";

/**
 * The policy's YAML format (docs/approval-policy.md): parsing with every refusal located at its line
 * and column, and the canonical export that parses back to the same policy.
 */

export const POLICY_FORMAT_VERSION = 1;
export const MAX_APPROVALS = 10;
export const MAX_REQUEST_EXPIRY_DAYS = 365;
export const DEFAULT_REQUEST_EXPIRY_DAYS = 14;
export const MAX_POLICY_ENTRIES = 100;
export const MAX_CHECKS = 50;
export const MAX_FREEZE_WINDOWS = 50;
export const MAX_FREEZE_REASON_LENGTH = 500;
export const MAX_POLICY_YAML_LENGTH = MAX_POLICY_TEXT;

const TOP_KEYS = ["version", "request_expiry_days", "targets"] as const;
const ENTRY_KEYS = [
  "stage",
  "alias",
  "gated",
  "approvers",
  "approvals",
  "allow_self_approval",
  "checks",
  "card_sections",
  "dataset_with_digest",
  "freeze",
] as const;
const FREEZE_KEYS = ["from", "to", "reason"] as const;
const SECTION_IDS: readonly string[] = STANDARD_CARD_SECTIONS.map((section) => section.id);
const ALIAS_PATTERN = /^[\w\-*?]+$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export type PolicyParse = { ok: true; policy: ApprovalPolicy } | { ok: false; problems: PolicyProblem[] };

/** Default rules of a listed target: owners approve, one approval, four eyes, no checks. */
export function entryDefaults(target: PolicyTarget): PolicyEntry {
  return {
    target,
    gated: true,
    approvers: ["owner"],
    approvals: 1,
    allowSelfApproval: false,
    checks: [],
    cardSections: [],
    datasetWithDigest: false,
    freeze: [],
  };
}

export function isAliasPattern(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

export function targetLabel(target: PolicyTarget): string {
  return target.kind === "stage" ? `stage ${target.stage}` : `alias ${target.pattern}`;
}

/** Problems collected while walking the document, each located through the line counter. */
class Problems {
  readonly list: PolicyProblem[] = [];
  constructor(private readonly lines: LineCounter) {}

  at(offset: number, path: string, message: string) {
    const { line, col } = this.lines.linePos(offset);
    this.list.push({ line, column: col, path, message });
  }

  on(node: Node | null | undefined, fallback: number, path: string, message: string) {
    this.at(node?.range?.[0] ?? fallback, path, message);
  }
}

type Walk = { problems: Problems; path: string };

const describe = (node: unknown) =>
  isMap(node) ? "a mapping" : isSeq(node) ? "a list" : isScalar(node) ? (node.value === null ? "nothing" : `${JSON.stringify(node.value)}`) : "something else";

/** The pairs of a mapping with string keys; unknown keys are problems. */
function pairsOf(map: YAMLMap, known: readonly string[], walk: Walk): Map<string, Pair<Scalar, Node | null>> {
  const pairs = new Map<string, Pair<Scalar, Node | null>>();
  for (const pair of map.items) {
    const key = pair.key;
    if (!isScalar(key) || typeof key.value !== "string") {
      walk.problems.on(key as Node, map.range?.[0] ?? 0, walk.path, "Keys must be plain names");
      continue;
    }
    if (!known.includes(key.value)) {
      walk.problems.on(key, 0, join(walk.path, key.value), `Unknown key '${key.value}' (expected one of: ${known.join(", ")})`);
      continue;
    }
    pairs.set(key.value, pair as Pair<Scalar, Node | null>);
  }
  return pairs;
}

const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** Where a value (or, when it is empty, its key) starts. */
const valueOffset = (pair: Pair<Scalar, Node | null>) => pair.value?.range?.[0] ?? pair.key.range?.[0] ?? 0;

function integerAt(pair: Pair<Scalar, Node | null>, walk: Walk, min: number, max: number): number | null {
  const node = pair.value;
  if (!isScalar(node) || typeof node.value !== "number" || !Number.isInteger(node.value)) {
    walk.problems.at(valueOffset(pair), walk.path, `Expected a whole number from ${min} to ${max}, found ${describe(node)}`);
    return null;
  }
  if (node.value < min || node.value > max) {
    walk.problems.at(valueOffset(pair), walk.path, `Must be from ${min} to ${max}, not ${node.value}`);
    return null;
  }
  return node.value;
}

function booleanAt(pair: Pair<Scalar, Node | null>, walk: Walk): boolean | null {
  const node = pair.value;
  if (!isScalar(node) || typeof node.value !== "boolean") {
    walk.problems.at(valueOffset(pair), walk.path, `Expected true or false, found ${describe(node)}`);
    return null;
  }
  return node.value;
}

function stringAt(node: Node | null, offset: number, walk: Walk, what: string): string | null {
  if (!isScalar(node) || typeof node.value !== "string" || !node.value.trim()) {
    walk.problems.at(node?.range?.[0] ?? offset, walk.path, `Expected ${what}, found ${describe(node)}`);
    return null;
  }
  return node.value.trim();
}

/** The items of a list value; `max` bounds its length. */
function listAt(pair: Pair<Scalar, Node | null>, walk: Walk, what: string, max: number): (Node | null)[] | null {
  const node = pair.value;
  if (!isSeq(node)) {
    walk.problems.at(valueOffset(pair), walk.path, `Expected a list of ${what}, found ${describe(node)}`);
    return null;
  }
  if (node.items.length > max) {
    walk.problems.at(valueOffset(pair), walk.path, `At most ${max} ${what} are allowed, found ${node.items.length}`);
    return null;
  }
  return node.items as (Node | null)[];
}

function readTarget(map: YAMLMap, pairs: Map<string, Pair<Scalar, Node | null>>, walk: Walk): PolicyTarget | null {
  const stage = pairs.get("stage");
  const alias = pairs.get("alias");
  if (stage && alias) {
    walk.problems.on(alias.key, 0, walk.path, "A target is either a stage or an alias, not both: split it into two entries");
    return null;
  }
  if (stage) {
    const value = stringAt(stage.value, valueOffset(stage), { ...walk, path: join(walk.path, "stage") }, "a stage name");
    if (value === null) return null;
    const canonical = canonicalStage(value);
    if (!canonical) {
      walk.problems.at(valueOffset(stage), join(walk.path, "stage"), `Unknown stage '${value}': use one of ${MODEL_STAGES.join(", ")}`);
      return null;
    }
    return { kind: "stage", stage: canonical };
  }
  if (alias) {
    const aliasWalk = { ...walk, path: join(walk.path, "alias") };
    const value = stringAt(alias.value, valueOffset(alias), aliasWalk, "an alias name or pattern");
    if (value === null) return null;
    const problem = isAliasPattern(value)
      ? ALIAS_PATTERN.test(value)
        ? null
        : `Alias pattern '${value}' may contain only letters, digits, '_', '-' and the wildcards '*' and '?'`
      : aliasProblem(value);
    if (problem) {
      walk.problems.at(valueOffset(alias), aliasWalk.path, problem);
      return null;
    }
    return { kind: "alias", pattern: value };
  }
  walk.problems.on(map, 0, walk.path, "Each target needs 'stage: <stage>' or 'alias: <name or pattern>'");
  return null;
}

function readApprovers(pair: Pair<Scalar, Node | null>, walk: Walk): ApproverRole[] | null {
  const items = listAt(pair, walk, "roles", APPROVER_ROLES.length * 2);
  if (!items) return null;
  const roles: ApproverRole[] = [];
  items.forEach((item, index) => {
    const itemWalk = { ...walk, path: join(walk.path, index) };
    const value = stringAt(item, valueOffset(pair), itemWalk, "a role");
    if (value === null) return;
    const role = APPROVER_ROLES.find((candidate) => candidate === value.toLowerCase());
    if (!role) {
      const hint = ["member", "viewer"].includes(value.toLowerCase()) ? ` (${value.toLowerCase()}s cannot approve promotions)` : "";
      walk.problems.on(item, valueOffset(pair), itemWalk.path, `Unknown approver role '${value}'${hint}: use ${APPROVER_ROLES.join(" or ")}`);
      return;
    }
    if (!roles.includes(role)) roles.push(role);
  });
  if (items.length === 0) {
    walk.problems.at(valueOffset(pair), walk.path, "Name at least one approver role (owner, and maintainer if maintainers may approve)");
    return null;
  }
  if (roles.length > 0 && !roles.includes("owner")) {
    walk.problems.at(valueOffset(pair), walk.path, "Owners may always approve gated targets: list owner too, e.g. [owner, maintainer]");
    return null;
  }
  return roles;
}

function readChecks(pair: Pair<Scalar, Node | null>, walk: Walk): MetricRule[] | null {
  const items = listAt(pair, walk, "checks", MAX_CHECKS);
  if (!items) return null;
  const rules: MetricRule[] = [];
  items.forEach((item, index) => {
    const itemWalk = { ...walk, path: join(walk.path, index) };
    const text = stringAt(item, valueOffset(pair), itemWalk, "a check such as 'metrics.accuracy >= current'");
    if (text === null) return;
    const parsed = parseMetricRule((item as Scalar<string>).value);
    if (parsed.ok) {
      rules.push(parsed.rule);
      return;
    }
    // Point inside the string: past the opening quote when it was quoted.
    const scalar = item as Scalar;
    const quote = scalar.type === "QUOTE_DOUBLE" || scalar.type === "QUOTE_SINGLE" ? 1 : 0;
    walk.problems.at((scalar.range?.[0] ?? 0) + quote + parsed.offset, itemWalk.path, parsed.message);
  });
  return rules;
}

function readCardSections(pair: Pair<Scalar, Node | null>, walk: Walk): string[] | null {
  const items = listAt(pair, walk, "card sections", SECTION_IDS.length * 2);
  if (!items) return null;
  const sections: string[] = [];
  items.forEach((item, index) => {
    const itemWalk = { ...walk, path: join(walk.path, index) };
    const value = stringAt(item, valueOffset(pair), itemWalk, "a card section id");
    if (value === null) return;
    if (!SECTION_IDS.includes(value)) {
      walk.problems.on(item, valueOffset(pair), itemWalk.path, `Unknown card section '${value}': use one of ${SECTION_IDS.join(", ")}`);
      return;
    }
    if (!sections.includes(value)) sections.push(value);
  });
  return sections;
}

/** An ISO 8601 time with a date, hours and minutes and an offset (Z or ±hh:mm), normalized to UTC; null if not one. */
export function isoTime(value: string): string | null {
  const match = ISO_TIME.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  if (calendar.getUTCMonth() !== month! - 1 || calendar.getUTCDate() !== day! || hour! > 23 || minute! > 59 || (second ?? 0) > 59) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function readFreeze(pair: Pair<Scalar, Node | null>, walk: Walk): FreezeWindow[] | null {
  const items = listAt(pair, walk, "freeze windows", MAX_FREEZE_WINDOWS);
  if (!items) return null;
  const windows: FreezeWindow[] = [];
  items.forEach((item, index) => {
    const itemWalk = { ...walk, path: join(walk.path, index) };
    if (!isMap(item)) {
      walk.problems.on(item, valueOffset(pair), itemWalk.path, `A freeze window is a mapping with from, to and an optional reason, found ${describe(item)}`);
      return;
    }
    const pairs = pairsOf(item, FREEZE_KEYS, itemWalk);
    const time = (key: "from" | "to") => {
      const timePair = pairs.get(key);
      const keyWalk = { ...itemWalk, path: join(itemWalk.path, key) };
      if (!timePair) {
        walk.problems.on(item, 0, keyWalk.path, `A freeze window needs '${key}' (an ISO time such as 2026-12-20T00:00:00Z)`);
        return null;
      }
      const node = timePair.value;
      // YAML 1.2 (the parser's default) reads timestamps as strings.
      const parsed = isScalar(node) && typeof node.value === "string" ? isoTime(node.value) : null;
      if (parsed === null) {
        walk.problems.at(
          valueOffset(timePair),
          keyWalk.path,
          `'${key}' must be an ISO time with a time zone, such as 2026-12-20T00:00:00Z, not ${describe(node)}`,
        );
      }
      return parsed;
    };
    const from = time("from");
    const to = time("to");
    let reason: string | null = null;
    const reasonPair = pairs.get("reason");
    if (reasonPair) {
      reason = stringAt(reasonPair.value, valueOffset(reasonPair), { ...itemWalk, path: join(itemWalk.path, "reason") }, "a reason (text)");
      if (reason !== null && reason.length > MAX_FREEZE_REASON_LENGTH) {
        walk.problems.at(valueOffset(reasonPair), join(itemWalk.path, "reason"), `A reason may be at most ${MAX_FREEZE_REASON_LENGTH} characters`);
      }
    }
    if (from === null || to === null) return;
    if (from >= to) {
      walk.problems.at(valueOffset(pairs.get("to")!), join(itemWalk.path, "to"), `The freeze ends (${to}) before or when it starts (${from}): 'from' must be before 'to'`);
      return;
    }
    windows.push({ from, to, reason });
  });
  return windows;
}

function readEntry(item: Node | null, walk: Walk, fallback: number): PolicyEntry | null {
  if (!isMap(item)) {
    walk.problems.on(item, fallback, walk.path, `A target is a mapping such as 'stage: Production' or 'alias: champion', found ${describe(item)}`);
    return null;
  }
  const pairs = pairsOf(item, ENTRY_KEYS, walk);
  const before = walk.problems.list.length;
  const target = readTarget(item, pairs, walk);
  const entry = entryDefaults(target ?? { kind: "stage", stage: "Production" });
  const field = (key: string) => ({ ...walk, path: join(walk.path, key) });
  const read = <K extends keyof PolicyEntry>(key: string, prop: K, reader: (pair: Pair<Scalar, Node | null>, walk: Walk) => PolicyEntry[K] | null) => {
    const pair = pairs.get(key);
    if (!pair) return;
    const value = reader(pair, field(key));
    if (value !== null) entry[prop] = value;
  };
  read("gated", "gated", booleanAt);
  read("approvers", "approvers", readApprovers);
  read("approvals", "approvals", (pair, w) => integerAt(pair, w, 1, MAX_APPROVALS));
  read("allow_self_approval", "allowSelfApproval", booleanAt);
  read("checks", "checks", readChecks);
  read("card_sections", "cardSections", readCardSections);
  read("dataset_with_digest", "datasetWithDigest", booleanAt);
  read("freeze", "freeze", readFreeze);
  if (pairs.get("gated") && !entry.gated) {
    const ruleKey = [...pairs.keys()].find((key) => key !== "gated" && key !== "stage" && key !== "alias");
    if (ruleKey) {
      walk.problems.on(pairs.get(ruleKey)!.key, 0, join(walk.path, ruleKey), `'${ruleKey}' has no effect on a target with 'gated: false': remove it, or the 'gated: false'`);
    }
  }
  return target && walk.problems.list.length === before ? entry : null;
}

const entryKey = (target: PolicyTarget) => (target.kind === "stage" ? `stage ${target.stage}` : `alias ${target.pattern}`);

/** Parses a policy (YAML, or JSON, which is YAML too). Every problem comes back, each at its line. */
export function parsePolicyYaml(text: string): PolicyParse {
  const lines = new LineCounter();
  const problems = new Problems(lines);
  if (text.length > MAX_POLICY_YAML_LENGTH) {
    return { ok: false, problems: [{ line: 1, column: 1, path: "", message: `A policy may be at most ${MAX_POLICY_YAML_LENGTH} characters` }] };
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  for (const error of doc.errors) problems.at(error.pos[0], "", error.message.split("\n")[0]!);
  if (problems.list.length) return { ok: false, problems: problems.list };
  let aliasNode: Node | undefined;
  const visit = (node: unknown) => {
    if (aliasNode) return;
    if (isAlias(node)) aliasNode = node;
    else if (isMap(node) || isSeq(node)) for (const item of node.items) visit(isMap(node) ? (item as Pair).value : item);
  };
  visit(doc.contents);
  if (aliasNode) {
    problems.on(aliasNode, 0, "", "YAML aliases (*name) are not allowed in a policy: write the value out");
    return { ok: false, problems: problems.list };
  }
  const root = doc.contents;
  if (!isMap(root)) {
    problems.on(root, 0, "", "A policy is a mapping with 'targets' (and optionally 'request_expiry_days'); see docs/approval-policy.md");
    return { ok: false, problems: problems.list };
  }
  const walk: Walk = { problems, path: "" };
  const pairs = pairsOf(root, TOP_KEYS, walk);
  const version = pairs.get("version");
  if (version) {
    const node = version.value;
    if (!isScalar(node) || node.value !== POLICY_FORMAT_VERSION) {
      problems.at(valueOffset(version), "version", `Unknown policy format version ${describe(node)}: this server reads version ${POLICY_FORMAT_VERSION}`);
    }
  }
  const expiry = pairs.get("request_expiry_days");
  const requestExpiryDays = expiry ? integerAt(expiry, { problems, path: "request_expiry_days" }, 1, MAX_REQUEST_EXPIRY_DAYS) : DEFAULT_REQUEST_EXPIRY_DAYS;
  const targets = pairs.get("targets");
  const entries: PolicyEntry[] = [];
  if (!targets) {
    problems.on(root, 0, "targets", "The policy has no 'targets': list the gated stages and aliases (an empty list, [], gates nothing)");
  } else {
    const items = listAt(targets, { problems, path: "targets" }, "targets", MAX_POLICY_ENTRIES) ?? [];
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const path = join("targets", index);
      const entry = readEntry(item, { problems, path }, valueOffset(targets));
      if (!entry) return;
      const key = entryKey(entry.target);
      const line = lines.linePos(item?.range?.[0] ?? 0).line;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.on(item, 0, path, `${targetLabel(entry.target)} is listed twice (first at line ${earlier}): merge the two entries`);
        return;
      }
      seen.set(key, line);
      entries.push(entry);
    });
  }
  if (problems.list.length || requestExpiryDays === null) {
    return { ok: false, problems: problems.list.sort((a, b) => a.line - b.line || a.column - b.column) };
  }
  return { ok: true, policy: { requestExpiryDays, entries } };
}

/** The policy in its YAML/JSON document shape (snake_case keys, defaults written out). */
export function policyDocument(policy: ApprovalPolicy): PolicyDocument {
  return {
    version: POLICY_FORMAT_VERSION,
    request_expiry_days: policy.requestExpiryDays,
    targets: policy.entries.map((entry) => {
      const target = entry.target.kind === "stage" ? { stage: entry.target.stage } : { alias: entry.target.pattern };
      if (!entry.gated) return { ...target, gated: false };
      return {
        ...target,
        approvers: entry.approvers,
        approvals: entry.approvals,
        allow_self_approval: entry.allowSelfApproval,
        ...(entry.checks.length ? { checks: entry.checks.map(metricRuleText) } : {}),
        ...(entry.cardSections.length ? { card_sections: entry.cardSections } : {}),
        ...(entry.datasetWithDigest ? { dataset_with_digest: true } : {}),
        ...(entry.freeze.length
          ? { freeze: entry.freeze.map((window) => ({ from: window.from, to: window.to, ...(window.reason ? { reason: window.reason } : {}) })) }
          : {}),
      };
    }),
  };
}

/** Canonical YAML: what export writes; `parsePolicyYaml` reads it back to the same policy. */
export function policyToYaml(policy: ApprovalPolicy): string {
  const doc = new Document(policyDocument(policy));
  // Short lists of names read best on one line: approvers: [owner, maintainer].
  policy.entries.forEach((_, index) => {
    for (const key of ["approvers", "card_sections"]) {
      const list = doc.getIn(["targets", index, key], true);
      if (isSeq(list)) list.flow = true;
    }
  });
  doc.commentBefore = " Tally approval policy (docs/approval-policy.md). Listed targets are gated unless 'gated: false'.";
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
