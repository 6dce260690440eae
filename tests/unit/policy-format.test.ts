import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "@/server/services/policy/defaults";
import { parsePolicyYaml, policyDocument, policyToYaml, type PolicyParse } from "@/server/services/policy/format";
import type { ApprovalPolicy, PolicyProblem } from "@/server/services/policy/types";

/** The one problem a policy is refused with (fails when it parses, or has other problems too). */
function refusal(text: string): PolicyProblem {
  const parsed = parsePolicyYaml(text);
  if (parsed.ok) throw new Error("expected the policy to be refused");
  expect(parsed.problems).toHaveLength(1);
  return parsed.problems[0]!;
}

function accepted(text: string): ApprovalPolicy {
  const parsed: PolicyParse = parsePolicyYaml(text);
  if (!parsed.ok) throw new Error(`expected the policy to parse: ${JSON.stringify(parsed.problems)}`);
  return parsed.policy;
}

const FULL = `# kept in git next to the training code
request_expiry_days: 7
targets:
  - stage: Production
    approvers: [owner, maintainer]
    approvals: 2
    allow_self_approval: false
    checks:
      - metrics.accuracy >= current
      - "metrics.latency_ms <= current * 1.1"
      - metrics.auc >= 0.8
    card_sections: [summary, evaluation]
    dataset_with_digest: true
    freeze:
      - from: 2026-12-20T00:00:00Z
        to: 2027-01-05T00:00:00+01:00
        reason: Year-end release freeze
  - stage: staging
    approvers: [owner, maintainer]
  - alias: release-*
  - alias: release-candidate
    gated: false
`;

describe("parsing a policy", () => {
  it("reads every part of a full policy into domain terms", () => {
    const policy = accepted(FULL);
    expect(policy.requestExpiryDays).toBe(7);
    expect(policy.entries.map((entry) => entry.target)).toEqual([
      { kind: "stage", stage: "Production" },
      { kind: "stage", stage: "Staging" },
      { kind: "alias", pattern: "release-*" },
      { kind: "alias", pattern: "release-candidate" },
    ]);
    const [production, staging, release, candidate] = policy.entries;
    expect(production).toMatchObject({
      gated: true,
      approvers: ["owner", "maintainer"],
      approvals: 2,
      allowSelfApproval: false,
      cardSections: ["summary", "evaluation"],
      datasetWithDigest: true,
      freeze: [{ from: "2026-12-20T00:00:00.000Z", to: "2027-01-04T23:00:00.000Z", reason: "Year-end release freeze" }],
    });
    expect(production!.checks.map((rule) => [rule.metric, rule.comparator, rule.right, rule.direction])).toEqual([
      ["accuracy", ">=", { kind: "current", adjust: null }, "higher"],
      ["latency_ms", "<=", { kind: "current", adjust: { op: "*", value: 1.1 } }, "lower"],
      ["auc", ">=", { kind: "number", value: 0.8 }, "higher"],
    ]);
    // Unlisted rules take the defaults: owners, one approval, four eyes.
    expect(release).toMatchObject({ gated: true, approvers: ["owner"], approvals: 1, allowSelfApproval: false, checks: [], freeze: [] });
    expect(staging).toMatchObject({ gated: true, approvers: ["owner", "maintainer"] });
    expect(candidate).toMatchObject({ gated: false });
  });

  it("defaults the request expiry to 14 days and accepts an empty target list (nothing gated)", () => {
    expect(accepted("targets: []")).toEqual({ requestExpiryDays: 14, entries: [] });
  });

  it("reads JSON too (the PUT body of the REST API), with its lines", () => {
    const json = JSON.stringify(policyDocument(DEFAULT_POLICY), null, 2);
    expect(accepted(json)).toEqual(DEFAULT_POLICY);
    const broken = json.replace('"approvals": 1', '"approvals": "one"');
    expect(refusal(broken)).toMatchObject({ line: json.split("\n").findIndex((line) => line.includes('"approvals"')) + 1 });
  });
});

describe("export", () => {
  it("writes canonical YAML that imports back to the same policy", () => {
    for (const policy of [DEFAULT_POLICY, accepted(FULL), accepted("targets: []")]) {
      const yaml = policyToYaml(policy);
      expect(accepted(yaml)).toEqual(policy);
      expect(policyToYaml(accepted(yaml))).toBe(yaml);
    }
  });

  it("writes the defaults as the three gated targets", () => {
    const yaml = policyToYaml(DEFAULT_POLICY);
    expect(yaml).toContain("request_expiry_days: 14");
    expect(yaml).toContain("  - stage: Production\n    approvers: [owner]\n    approvals: 1\n    allow_self_approval: false\n");
    expect(yaml).toContain("  - alias: champion\n");
    expect(yaml).toContain("  - alias: production\n");
  });

  it("quotes metric names that need it and keeps patterns that look like YAML syntax as strings", () => {
    const policy = accepted("targets:\n  - stage: Production\n    checks: ['metrics.`eval loss` < current - 0.01']\n  - alias: '*-prod'\n");
    const yaml = policyToYaml(policy);
    expect(yaml).toContain("metrics.`eval loss` < current - 0.01");
    expect(accepted(yaml)).toEqual(policy);
    expect(policy.entries[1]!.target).toEqual({ kind: "alias", pattern: "*-prod" });
  });
});

describe("refusals, each at its line and column", () => {
  const cases: [string, string, { line: number; column: number; message: RegExp }][] = [
    ["broken YAML", "targets: [\n", { line: 2, column: 1, message: /Flow sequence/ }],
    ["a duplicated key", "targets: []\ntargets: []\n", { line: 2, column: 1, message: /unique/ }],
    ["an empty document", "", { line: 1, column: 1, message: /mapping with 'targets'/ }],
    ["a list instead of a mapping", "- stage: Production\n", { line: 1, column: 1, message: /mapping with 'targets'/ }],
    ["no targets", "request_expiry_days: 3\n", { line: 1, column: 1, message: /no 'targets'/ }],
    ["an unknown top-level key", "targets: []\nexpiry: 3\n", { line: 2, column: 1, message: /Unknown key 'expiry'/ }],
    ["an unknown format version", "version: 2\ntargets: []\n", { line: 1, column: 10, message: /version 2.*reads version 1/ }],
    ["an expiry of 0 days", "request_expiry_days: 0\ntargets: []\n", { line: 1, column: 22, message: /from 1 to 365, not 0/ }],
    ["a fractional expiry", "request_expiry_days: 1.5\ntargets: []\n", { line: 1, column: 22, message: /whole number/ }],
    ["targets that are not a list", "targets: Production\n", { line: 1, column: 10, message: /list of targets/ }],
    ["a target that is neither stage nor alias", "targets:\n  - approvals: 1\n", { line: 2, column: 5, message: /needs 'stage/ }],
    ["a target with both", "targets:\n  - stage: Production\n    alias: champion\n", { line: 3, column: 5, message: /not both/ }],
    ["an unknown stage", "targets:\n  - stage: Prod\n", { line: 2, column: 12, message: /Unknown stage 'Prod'.*Production/ }],
    ["a bad alias", "targets:\n  - alias: 'my alias'\n", { line: 2, column: 12, message: /only letters/ }],
    ["a reserved alias", "targets:\n  - alias: latest\n", { line: 2, column: 12, message: /reserved/ }],
    ["a bad pattern", "targets:\n  - alias: 'rel.*'\n", { line: 2, column: 12, message: /wildcards/ }],
    ["an unknown key in a target", "targets:\n  - stage: Production\n    aprovers: [owner]\n", { line: 3, column: 5, message: /Unknown key 'aprovers'/ }],
    ["an unknown role", "targets:\n  - stage: Production\n    approvers: [owner, admin]\n", { line: 3, column: 24, message: /Unknown approver role 'admin'/ }],
    ["members as approvers", "targets:\n  - stage: Production\n    approvers: [owner, member]\n", { line: 3, column: 24, message: /members cannot approve/ }],
    ["approvers without owner", "targets:\n  - stage: Production\n    approvers: [maintainer]\n", { line: 3, column: 16, message: /list owner too/ }],
    ["no approvers", "targets:\n  - stage: Production\n    approvers: []\n", { line: 3, column: 16, message: /at least one approver/ }],
    ["approvals < 1", "targets:\n  - stage: Production\n    approvals: 0\n", { line: 3, column: 16, message: /from 1 to 10, not 0/ }],
    ["more approvals than allowed", "targets:\n  - stage: Production\n    approvals: 11\n", { line: 3, column: 16, message: /from 1 to 10, not 11/ }],
    ["a non-boolean self-approval", "targets:\n  - stage: Production\n    allow_self_approval: sometimes\n", { line: 3, column: 26, message: /true or false/ }],
    ["an unknown card section", "targets:\n  - stage: Production\n    card_sections: [summary, risks]\n", { line: 3, column: 30, message: /Unknown card section 'risks'/ }],
    ["a bad check", "targets:\n  - stage: Production\n    checks:\n      - metrics.acc => current\n", { line: 4, column: 21, message: /Unknown comparison '=>'/ }],
    ["a bad quoted check", "targets:\n  - stage: Production\n    checks:\n      - \"metrics.acc >= currnt\"\n", { line: 4, column: 25, message: /number or 'current'/ }],
    ["a bad freeze time", "targets:\n  - stage: Production\n    freeze:\n      - from: 2026-02-30T00:00:00Z\n        to: 2026-03-02T00:00:00Z\n", { line: 4, column: 15, message: /'from' must be an ISO time/ }],
    ["a freeze time without a zone", "targets:\n  - stage: Production\n    freeze:\n      - from: 2026-02-01T00:00:00\n        to: 2026-03-02T00:00:00Z\n", { line: 4, column: 15, message: /with a time zone/ }],
    ["a freeze with from after to", "targets:\n  - stage: Production\n    freeze:\n      - from: 2026-03-02T00:00:00Z\n        to: 2026-02-01T00:00:00Z\n", { line: 5, column: 13, message: /'from' must be before 'to'/ }],
    ["a freeze without to", "targets:\n  - stage: Production\n    freeze:\n      - from: 2026-03-02T00:00:00Z\n", { line: 4, column: 9, message: /needs 'to'/ }],
    ["an unknown freeze key", "targets:\n  - stage: Production\n    freeze:\n      - from: 2026-03-02T00:00:00Z\n        to: 2026-03-03T00:00:00Z\n        why: x\n", { line: 6, column: 9, message: /Unknown key 'why'/ }],
    ["rules on an ungated target", "targets:\n  - alias: champion\n    gated: false\n    approvals: 2\n", { line: 4, column: 5, message: /no effect.*gated: false/ }],
    ["a target listed twice", "targets:\n  - stage: Production\n  - stage: production\n", { line: 3, column: 5, message: /listed twice \(first at line 2\)/ }],
    ["a YAML alias", "targets:\n  - &p\n    stage: Production\n  - *p\n", { line: 4, column: 5, message: /aliases/ }],
  ];

  it.each(cases)("refuses %s", (_label, text, expected) => {
    const problem = refusal(text);
    expect(problem).toMatchObject({ line: expected.line, column: expected.column });
    expect(problem.message).toMatch(expected.message);
  });

  it("reports every problem at once, in line order, with its path", () => {
    const parsed = parsePolicyYaml("targets:\n  - stage: Prod\n    approvals: 0\n  - alias: champion\n    approvers: [viewer]\n");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((problem) => [problem.line, problem.path])).toEqual([
      [2, "targets[0].stage"],
      [3, "targets[0].approvals"],
      [5, "targets[1].approvers[0]"],
    ]);
  });

  it("refuses a policy longer than 64 KiB", () => {
    expect(refusal(`# ${"x".repeat(70_000)}\ntargets: []\n`).message).toMatch(/at most 65536 characters/);
  });
});
