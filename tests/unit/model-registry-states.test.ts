import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  canChangePromotionRequestState,
  isFinalPromotionRequestState,
  isModelStage,
  isPromotionRequestState,
  MODEL_STAGES,
  promotionRequestTransition,
  PROMOTION_REQUEST_STATES,
  type PromotionRequestState,
} from "@/lib/model-registry-states";

const FINAL: PromotionRequestState[] = ["APPROVED", "REJECTED", "CANCELLED", "EXPIRED"];

/** Every pair written out: Y = allowed. A change to the rule has to be a change to this table. */
const Y = true;
const N = false;
const MATRIX: Record<PromotionRequestState, Record<PromotionRequestState, boolean>> = {
  //                     PENDING  APPROVED  REJECTED  CANCELLED  SUPERSEDED  EXPIRED
  PENDING: /*    */ { PENDING: N, APPROVED: Y, REJECTED: Y, CANCELLED: Y, SUPERSEDED: Y, EXPIRED: Y },
  APPROVED: /*   */ { PENDING: N, APPROVED: N, REJECTED: N, CANCELLED: N, SUPERSEDED: N, EXPIRED: N },
  REJECTED: /*   */ { PENDING: N, APPROVED: N, REJECTED: N, CANCELLED: N, SUPERSEDED: N, EXPIRED: N },
  CANCELLED: /*  */ { PENDING: N, APPROVED: N, REJECTED: N, CANCELLED: N, SUPERSEDED: N, EXPIRED: N },
  SUPERSEDED: /* */ { PENDING: N, APPROVED: N, REJECTED: N, CANCELLED: N, SUPERSEDED: N, EXPIRED: N },
  EXPIRED: /*    */ { PENDING: N, APPROVED: N, REJECTED: N, CANCELLED: N, SUPERSEDED: N, EXPIRED: N },
};

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("model registry unions", () => {
  it("lists MLflow's stages and the request states, in order", () => {
    expect(MODEL_STAGES).toEqual(["None", "Staging", "Production", "Archived"]);
    expect(PROMOTION_REQUEST_STATES).toEqual(["PENDING", "APPROVED", "REJECTED", "CANCELLED", "SUPERSEDED", "EXPIRED"]);
  });

  it("recognizes exactly the members of each union (case-sensitive)", () => {
    for (const stage of MODEL_STAGES) expect(isModelStage(stage)).toBe(true);
    for (const state of PROMOTION_REQUEST_STATES) expect(isPromotionRequestState(state)).toBe(true);
    expect(isModelStage("production")).toBe(false);
    expect(isModelStage("")).toBe(false);
    expect(isPromotionRequestState("pending")).toBe(false);
    expect(isPromotionRequestState("DECIDED")).toBe(false);
  });
});

describe("promotion request transitions", () => {
  it("allows exactly the changes of the matrix", () => {
    for (const from of PROMOTION_REQUEST_STATES) {
      for (const to of PROMOTION_REQUEST_STATES) {
        expect(canChangePromotionRequestState(from, to), `${from} -> ${to}`).toBe(MATRIX[from][to]);
      }
    }
  });

  it("moves a pending request to any final state and returns it", () => {
    for (const to of FINAL) expect(promotionRequestTransition("PENDING", to)).toBe(to);
  });

  it("treats every state but PENDING as final", () => {
    expect(isFinalPromotionRequestState("PENDING")).toBe(false);
    for (const state of FINAL) expect(isFinalPromotionRequestState(state)).toBe(true);
  });

  it("refuses to move a settled request with a CONFLICT naming both states", () => {
    for (const from of FINAL) {
      for (const to of PROMOTION_REQUEST_STATES) {
        const error = thrown(() => promotionRequestTransition(from, to));
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: "CONFLICT", message: `The promotion request is already ${from}; it cannot become ${to}` });
      }
    }
  });

  it("refuses PENDING -> PENDING as a conflict too", () => {
    expect(thrown(() => promotionRequestTransition("PENDING", "PENDING"))).toMatchObject({
      code: "CONFLICT",
      message: "A PENDING promotion request cannot become PENDING",
    });
  });

  it("treats an unknown stored state as a bug, not a conflict", () => {
    const error = thrown(() => promotionRequestTransition("pending", "APPROVED"));
    expect(error).not.toBeInstanceOf(AppError);
    expect(error).toMatchObject({ message: "unknown promotion request state 'pending'" });
  });
});
