import type { ModelStage, PromotionRequestState, StageOrAlias } from "@/lib/model-registry-states";
import type { ComparedDataset } from "../registry";
import type { RuleDirection } from "../policy";

/** One side of the evidence: the candidate version, or the version holding the target now. */
export interface EvidenceSide {
  version: number;
  stage: ModelStage;
  runId: string | null;
  runName: string | null;
  gitCommit: string | null;
  datasets: ComparedDataset[];
  /** Model-card sections with text, and the required ones without. */
  cardFilled: string[];
  cardMissing: string[];
}

/** A check of the gate, with the numbers it compared. */
export type CheckResult =
  | { kind: "metric"; passed: boolean; rule: string; metric: string; direction: RuleDirection; candidate: number | null; current: number | null; threshold: number | null; detail: string }
  | { kind: "card"; passed: boolean; missing: string[]; detail: string }
  | { kind: "dataset"; passed: boolean; detail: string }
  | { kind: "freeze"; passed: boolean; detail: string };

/**
 * What approvers decide on: the candidate against the current holder, side by side, and each check
 * of the policy's gate. Stored with the request as it was when made (and refreshed when an approval
 * is refused because something changed); times are ISO strings so it stores as JSON unchanged.
 */
export interface PromotionEvidence {
  computedAt: string;
  candidate: EvidenceSide;
  /** The newest version holding the target, or null when nothing holds it. */
  holder: EvidenceSide | null;
  /** Every metric of either side's source run, latest values; direction when a rule names it. */
  metrics: { key: string; candidate: number | null; holder: number | null; direction: RuleDirection | null }[];
  /** Params whose values differ between the two runs (all of the candidate's when there is no holder). */
  params: { key: string; candidate: string | null; holder: string | null }[];
  checks: CheckResult[];
  checksPass: boolean;
}

export interface PromotionDecision {
  userLabel: string;
  role: string;
  decision: "APPROVE" | "REJECT";
  comment: string;
  createdAt: Date;
}

export interface PromotionRequest {
  id: string;
  modelName: string;
  version: number;
  target: StageOrAlias;
  archiveExisting: boolean;
  state: PromotionRequestState;
  requester: { type: "USER" | "TOKEN"; id: string; label: string };
  comment: string;
  holdersAtRequest: number[];
  evidence: PromotionEvidence;
  requiredApprovals: number;
  approvals: number;
  decisions: PromotionDecision[];
  expiresAt: Date;
  createdAt: Date;
  decidedAt: Date | null;
  resolution: string | null;
}

/** What the signed-in person may do with a request now, so the page shows exactly those controls. */
export interface RequestAbilities {
  approve: boolean;
  reject: boolean;
  cancel: boolean;
  /** Why approve is not offered (four eyes, role, already decided, a check fails…). */
  approveBlockedBy: string | null;
}
