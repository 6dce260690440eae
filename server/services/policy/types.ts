import type { ModelStage } from "@/lib/model-registry-states";

/**
 * The approval policy in domain terms (docs/approval-policy.md has the YAML users write). The YAML
 * keys are snake_case; these types are what the services, the evidence view and the form work with.
 */

/** Who may approve a gated target. Owners always may; maintainers when the policy says so. */
export const APPROVER_ROLES = ["owner", "maintainer"] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

export const COMPARATORS = [">=", ">", "<=", "<", "=="] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** Which way is better for a rule's metric, read off its comparator; the evidence view colours deltas by it. */
export type RuleDirection = "higher" | "lower" | "equal";

/** The right side of a metric rule: a constant, or the current holder's value, optionally scaled or shifted. */
export type RuleOperand =
  | { kind: "number"; value: number }
  | { kind: "current"; adjust: { op: "*" | "+" | "-"; value: number } | null };

/** `metrics.<metric> <comparator> <right>`, parsed (the text is kept as written for messages). */
export interface MetricRule {
  text: string;
  metric: string;
  comparator: Comparator;
  right: RuleOperand;
  direction: RuleDirection;
}

/** No promotions to the target from `from` (inclusive) to `to` (exclusive); ISO 8601 in UTC. */
export interface FreezeWindow {
  from: string;
  to: string;
  reason: string | null;
}

/** What a policy entry applies to: a stage, or an alias name or glob pattern (`*`, `?`). */
export type PolicyTarget = { kind: "stage"; stage: ModelStage } | { kind: "alias"; pattern: string };

/** What it takes to promote to a gated target. */
export interface GateRules {
  approvers: ApproverRole[];
  /** Distinct approvals needed (>= 1). */
  approvals: number;
  /** Whether the requester may approve their own request (false: four eyes). */
  allowSelfApproval: boolean;
  checks: MetricRule[];
  /** Standard model-card section ids that must be filled. */
  cardSections: string[];
  /** The source run must have at least one dataset input with a digest. */
  datasetWithDigest: boolean;
  freeze: FreezeWindow[];
}

/** One entry of the policy: a target and its rules; `gated: false` exempts it (e.g. from a pattern). */
export interface PolicyEntry extends GateRules {
  target: PolicyTarget;
  gated: boolean;
}

export interface ApprovalPolicy {
  /** Pending requests expire after this many days. */
  requestExpiryDays: number;
  /** In order: an exact alias name wins over patterns; among patterns, the first that matches. */
  entries: PolicyEntry[];
}

/** What `gateFor` answers for a gated target: the entry that matched and its rules. */
export interface Gate extends GateRules {
  target: PolicyTarget;
}

/** A target a promotion aims at. */
export type PromotionTarget = { kind: "stage"; stage: ModelStage } | { kind: "alias"; alias: string };

/** A target as the YAML/JSON document writes it (snake_case; rules left out take their defaults). */
export type PolicyDocumentTarget = {
  stage?: string;
  alias?: string;
  gated?: boolean;
  approvers?: string[];
  approvals?: number;
  allow_self_approval?: boolean;
  checks?: string[];
  card_sections?: string[];
  dataset_with_digest?: boolean;
  freeze?: { from: string; to: string; reason?: string }[];
};

/** The policy as users write it, in YAML or JSON (docs/approval-policy.md). */
export type PolicyDocument = {
  version?: number;
  request_expiry_days?: number;
  targets: PolicyDocumentTarget[];
};

/** The project's policy as stored: revision 0 (and `isDefault`) when no one has changed it. */
export interface StoredPolicy {
  policy: ApprovalPolicy;
  /** The same policy in its document shape (what the form edits and the JSON API speaks). */
  document: PolicyDocument;
  /** Canonical YAML (what export writes and import reads back to the same policy). */
  yaml: string;
  revision: number;
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export interface PolicyRevisionSummary {
  revision: number;
  author: string;
  createdAt: Date;
}

/** A reason a policy is refused, where it is: 1-based line and column, and the key path. */
export interface PolicyProblem {
  line: number;
  column: number;
  path: string;
  message: string;
}

/** The outcome of one metric rule, with the numbers it compared. */
export interface MetricRuleResult {
  rule: string;
  metric: string;
  direction: RuleDirection;
  passed: boolean;
  candidate: number | null;
  current: number | null;
  /** What the candidate was compared with (null when it could not be computed). */
  threshold: number | null;
  detail: string;
}
