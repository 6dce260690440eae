import { conflict } from "./errors";

/**
 * The closed unions of the model registry, ready for its schema and services: a model version's
 * stage and a promotion request's state, with the one function that decides a request's state changes.
 */

/** A model version's stage, as MLflow names them (kept for MLflow compatibility next to aliases). */
export const MODEL_STAGES = ["None", "Staging", "Production", "Archived"] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

/** What a promotion moves and the history can be asked about: a stage, or one alias of a model. */
export type StageOrAlias = { kind: "stage"; stage: ModelStage } | { kind: "alias"; alias: string };

/** `Production`, `alias @champion`: how messages and pages name a target. */
export function stageOrAliasLabel(target: StageOrAlias): string {
  return target.kind === "stage" ? target.stage : `alias @${target.alias}`;
}

/**
 * What a model's history records (RegistryEvent.kind); each is also audited as `registry.<kind>`.
 */
export const REGISTRY_EVENT_KINDS = [
  "model.create",
  "model.rename",
  "model.update",
  "model.delete",
  "model.tag_set",
  "model.tag_delete",
  "version.create",
  "version.update",
  "version.delete",
  "version.tag_set",
  "version.tag_delete",
  "version.stage",
  "alias.set",
  "alias.delete",
  "card.update",
  // Promotion requests (docs/promotions.md): the move an approval makes is its own version.stage or
  // alias.set row, carrying the request's id.
  "promotion.request",
  "promotion.approve",
  "promotion.reject",
  "promotion.cancel",
  "promotion.supersede",
  "promotion.expire",
] as const;
export type RegistryEventKind = (typeof REGISTRY_EVENT_KINDS)[number];

/**
 * A promotion request: open while PENDING, then approved, rejected, withdrawn by its requester,
 * superseded (another request for the same target was approved first) or timed out, for good.
 */
export const PROMOTION_REQUEST_STATES = ["PENDING", "APPROVED", "REJECTED", "CANCELLED", "SUPERSEDED", "EXPIRED"] as const;
export type PromotionRequestState = (typeof PROMOTION_REQUEST_STATES)[number];

/** The states each state may move to: only a pending request changes, and only once. */
const PROMOTION_REQUEST_TRANSITIONS: Readonly<Record<PromotionRequestState, readonly PromotionRequestState[]>> = {
  PENDING: ["APPROVED", "REJECTED", "CANCELLED", "SUPERSEDED", "EXPIRED"],
  APPROVED: [],
  REJECTED: [],
  CANCELLED: [],
  SUPERSEDED: [],
  EXPIRED: [],
};

export function isModelStage(value: string): value is ModelStage {
  return (MODEL_STAGES as readonly string[]).includes(value);
}

export function isPromotionRequestState(value: string): value is PromotionRequestState {
  return (PROMOTION_REQUEST_STATES as readonly string[]).includes(value);
}

/** A final state: the request is settled and nothing moves it again. */
export function isFinalPromotionRequestState(state: PromotionRequestState): boolean {
  return PROMOTION_REQUEST_TRANSITIONS[state].length === 0;
}

export function canChangePromotionRequestState(from: PromotionRequestState, to: PromotionRequestState): boolean {
  return PROMOTION_REQUEST_TRANSITIONS[from].includes(to);
}

/**
 * The one check of a promotion request's state change. `from` is the stored state (an unknown one is
 * a bug); a change the table does not allow (deciding a settled request, PENDING to PENDING) is a
 * CONFLICT, as when two approvers decide the same request at once. Returns the new state.
 */
export function promotionRequestTransition(from: string, to: PromotionRequestState): PromotionRequestState {
  if (!isPromotionRequestState(from)) throw new Error(`unknown promotion request state '${from}'`);
  if (!canChangePromotionRequestState(from, to)) {
    throw conflict(
      isFinalPromotionRequestState(from)
        ? `The promotion request is already ${from}; it cannot become ${to}`
        : `A ${from} promotion request cannot become ${to}`,
    );
  }
  return to;
}
