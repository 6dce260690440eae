import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "@/server/services/policy/defaults";
import { parsePolicyYaml } from "@/server/services/policy/format";
import { activeFreeze, gateFor, mayApprove } from "@/server/services/policy/gates";
import { evaluateMetricRule, metricRuleText, NO_HOLDER, parseMetricRule } from "@/server/services/policy/metric-rules";
import type { ApprovalPolicy, MetricRule } from "@/server/services/policy/types";

function rule(text: string): MetricRule {
  const parsed = parseMetricRule(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.rule;
}

function policy(text: string): ApprovalPolicy {
  const parsed = parsePolicyYaml(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.policy;
}

describe("the metric rule grammar", () => {
  it.each([
    ["metrics.accuracy >= current", "accuracy", ">=", { kind: "current", adjust: null }, "higher"],
    ["metrics.latency_ms <= current * 1.1", "latency_ms", "<=", { kind: "current", adjust: { op: "*", value: 1.1 } }, "lower"],
    ["metrics.loss < current - 0.01", "loss", "<", { kind: "current", adjust: { op: "-", value: 0.01 } }, "lower"],
    ["metrics.f1 > current + 0.5", "f1", ">", { kind: "current", adjust: { op: "+", value: 0.5 } }, "higher"],
    ["metrics.auc >= 0.8", "auc", ">=", { kind: "number", value: 0.8 }, "higher"],
    ["metrics.epochs == 10", "epochs", "==", { kind: "number", value: 10 }, "equal"],
    ["metrics.delta >= -1e-3", "delta", ">=", { kind: "number", value: -0.001 }, "higher"],
    ["metrics.eval/acc.top-1>=current", "eval/acc.top-1", ">=", { kind: "current", adjust: null }, "higher"],
    ["metrics.`eval loss` <= .5", "eval loss", "<=", { kind: "number", value: 0.5 }, "lower"],
  ])("reads %s", (text, metric, comparator, right, direction) => {
    expect(rule(text)).toEqual({ text, metric, comparator, right, direction });
  });

  it.each([
    ["accuracy >= current", 0, /starts with 'metrics\.<name>'/],
    ["metrics. >= 1", 8, /metric name after 'metrics\.'/],
    ["metrics.`open >= 1", 8, /no closing/],
    ["metrics.acc current", 12, /Expected a comparison/],
    ["metrics.acc != 1", 12, /Unknown comparison '!='/],
    ["metrics.acc =< 1", 12, /Unknown comparison '=<'/],
    ["metrics.acc >=", 14, /number or 'current'/],
    ["metrics.acc >= best", 15, /number or 'current'.*'best'/],
    ["metrics.acc >= current / 2", 23, /After 'current' only/],
    ["metrics.acc >= current *", 24, /number after 'current \*'/],
    ["metrics.acc >= 1 and more", 17, /Unexpected 'and'/],
    ["metrics.acc >= 1e999", 15, /out of range/],
  ])("refuses %s at offset %i", (text, offset, message) => {
    const parsed = parseMetricRule(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.offset).toBe(offset);
    expect(parsed.message).toMatch(message);
  });

  it("writes rules back canonically", () => {
    expect(metricRuleText(rule("metrics.latency_ms<=current*1.1"))).toBe("metrics.latency_ms <= current * 1.1");
    expect(metricRuleText(rule("metrics.`eval loss` <= .5"))).toBe("metrics.`eval loss` <= 0.5");
  });
});

describe("evaluating a metric rule", () => {
  it("compares with a constant and says with which numbers", () => {
    expect(evaluateMetricRule(rule("metrics.auc >= 0.8"), 0.85, NO_HOLDER)).toMatchObject({ passed: true, threshold: 0.8, candidate: 0.85, detail: "auc 0.85 >= 0.8" });
    expect(evaluateMetricRule(rule("metrics.auc >= 0.8"), 0.7, 0.9)).toMatchObject({ passed: false, detail: "auc 0.7 not >= 0.8" });
  });

  it("compares with the current holder, scaled or shifted", () => {
    const latency = rule("metrics.latency_ms <= current * 1.1");
    expect(evaluateMetricRule(latency, 105, 100)).toMatchObject({ passed: true, current: 100, direction: "lower" });
    const failed = evaluateMetricRule(latency, 120, 100);
    expect(failed).toMatchObject({ passed: false, candidate: 120, current: 100 });
    expect(failed.threshold).toBeCloseTo(110);
    expect(failed.detail).toContain("current = 100");
    expect(evaluateMetricRule(rule("metrics.acc > current + 0.01"), 0.905, 0.9)).toMatchObject({ passed: false });
  });

  it("fails when a value is missing, saying whose", () => {
    expect(evaluateMetricRule(rule("metrics.acc >= current"), undefined, 0.9)).toMatchObject({
      passed: false,
      detail: "The candidate has no value for metric 'acc'",
    });
    expect(evaluateMetricRule(rule("metrics.acc >= current"), 0.9, undefined)).toMatchObject({
      passed: false,
      detail: "The current holder has no value for metric 'acc'",
    });
    expect(evaluateMetricRule(rule("metrics.acc >= 0.5"), Number.NaN, 0.9).passed).toBe(false);
  });

  it("passes a rule against current when nothing holds the target yet, and says so", () => {
    const result = evaluateMetricRule(rule("metrics.acc >= current"), 0.5, NO_HOLDER);
    expect(result.passed).toBe(true);
    expect(result.detail).toMatch(/Nothing holds the target yet/);
  });
});

describe("gates", () => {
  it("gates Production and the champion and production aliases by default, and nothing else", () => {
    expect(gateFor(DEFAULT_POLICY, { kind: "stage", stage: "Production" })).toMatchObject({
      approvers: ["owner"],
      approvals: 1,
      allowSelfApproval: false,
      checks: [],
      freeze: [],
    });
    expect(gateFor(DEFAULT_POLICY, { kind: "alias", alias: "champion" })).not.toBeNull();
    expect(gateFor(DEFAULT_POLICY, { kind: "alias", alias: "production" })).not.toBeNull();
    expect(gateFor(DEFAULT_POLICY, { kind: "stage", stage: "Staging" })).toBeNull();
    expect(gateFor(DEFAULT_POLICY, { kind: "stage", stage: "Archived" })).toBeNull();
    expect(gateFor(DEFAULT_POLICY, { kind: "alias", alias: "challenger" })).toBeNull();
    expect(gateFor(DEFAULT_POLICY, { kind: "alias", alias: "Champion" })).toBeNull();
  });

  it("matches alias patterns: exact names first, then the first matching pattern", () => {
    const globbed = policy(`targets:
  - alias: "release-*"
    approvals: 2
  - alias: "release-?"
    approvals: 3
  - alias: release-candidate
    gated: false
  - alias: "*"
    approvers: [owner, maintainer]
`);
    expect(gateFor(globbed, { kind: "alias", alias: "release-2026" })?.approvals).toBe(2);
    expect(gateFor(globbed, { kind: "alias", alias: "release-1" })?.approvals).toBe(2);
    expect(gateFor(globbed, { kind: "alias", alias: "release-candidate" })).toBeNull();
    expect(gateFor(globbed, { kind: "alias", alias: "shadow" })).toMatchObject({ approvals: 1, approvers: ["owner", "maintainer"] });
    expect(gateFor(globbed, { kind: "alias", alias: "release-" })?.approvals).toBe(2);
    expect(gateFor(globbed, { kind: "stage", stage: "Production" })).toBeNull();
  });

  it("lets only the roles the gate names approve; tokens and members never", () => {
    const owners = gateFor(DEFAULT_POLICY, { kind: "stage", stage: "Production" })!;
    const both = gateFor(policy("targets:\n  - stage: Production\n    approvers: [owner, maintainer]\n"), { kind: "stage", stage: "Production" })!;
    expect([mayApprove(owners, "OWNER"), mayApprove(owners, "MAINTAINER"), mayApprove(owners, "MEMBER"), mayApprove(owners, null)]).toEqual([true, false, false, false]);
    expect([mayApprove(both, "OWNER"), mayApprove(both, "MAINTAINER"), mayApprove(both, "VIEWER")]).toEqual([true, true, false]);
  });

  it("finds the freeze window in force, from inclusive to exclusive", () => {
    const gate = gateFor(
      policy(`targets:
  - stage: Production
    freeze:
      - from: 2026-12-20T00:00:00Z
        to: 2027-01-05T00:00:00Z
        reason: Year-end
      - from: 2027-02-01T00:00:00Z
        to: 2027-02-02T00:00:00Z
`),
      { kind: "stage", stage: "Production" },
    )!;
    expect(activeFreeze(gate, new Date("2026-12-19T23:59:59Z"))).toBeNull();
    expect(activeFreeze(gate, new Date("2026-12-20T00:00:00Z"))).toMatchObject({ reason: "Year-end" });
    expect(activeFreeze(gate, new Date("2027-01-04T23:59:59Z"))).toMatchObject({ reason: "Year-end" });
    expect(activeFreeze(gate, new Date("2027-01-05T00:00:00Z"))).toBeNull();
    expect(activeFreeze(gate, new Date("2027-02-01T12:00:00Z"))).toMatchObject({ from: "2027-02-01T00:00:00.000Z", reason: null });
  });
});
