import { badInput, conflict, forbidden } from "@/lib/errors";
import { promotionRequestTransition, stageOrAliasLabel } from "@/lib/model-registry-states";
import { db } from "@/server/db/client";
import { transaction } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { gateFor, getPolicy, mayApprove, type Gate } from "../policy";
import { findModelRow, findVersionRow, moveToStage, pointAlias, recordRegistryEvent } from "../registry/internal";
import { computeEvidence, failedChecks, holdersOf } from "./evidence";
import { isRequester, MAX_REQUEST_COMMENT_LENGTH, modelOfRow, requestRow, targetOfRow, toPromotionRequest } from "./requests";
import type { PromotionRequest } from "./types";

export type Decision = "APPROVE" | "REJECT";

/** A target the policy no longer gates is decided as an ungated one would be: by maintainers and owners, once. */
export const UNGATED_RULES: Omit<Gate, "target"> = { approvers: ["owner", "maintainer"], approvals: 1, allowSelfApproval: true, checks: [], cardSections: [], datasetWithDigest: false, freeze: [] };

/** Why `access` may not decide this request, or null. Tokens and the CLI never decide: people do. */
export function decisionBlockedBy(
  access: ProjectAccess,
  gate: Omit<Gate, "target">,
  row: { requesterType: string; requesterId: string; decisions: { userId: string }[] },
): string | null {
  if (access.actor.type !== "USER") return "Approvals are human decisions: only a signed-in person can approve or reject, never an API token";
  if (!mayApprove({ ...gate, target: { kind: "stage", stage: "None" } }, access.role)) {
    return `The approval policy lets only ${gate.approvers.map((role) => `${role}s`).join(" and ")} decide this request`;
  }
  const userId = access.actor.userId;
  if (!gate.allowSelfApproval && row.requesterType === "USER" && row.requesterId === userId) {
    return "Four eyes: the requester cannot decide their own request";
  }
  if (row.decisions.some((decision) => decision.userId === userId)) return "You have already decided this request";
  return null;
}

/**
 * Approves or rejects a pending request. When the last required approval arrives, the checks and the
 * evidence are recomputed: if the target's holders changed since the request, or a check fails now,
 * the approval is refused with the reason (the request keeps the fresh evidence); otherwise the move,
 * the request's new state, the supersession of other pending requests for the target and their
 * history rows commit together. The model row is locked first, then the request's, so concurrent
 * approvals serialize and make exactly one move.
 */
export async function decidePromotion(access: ProjectAccess, id: string, decision: Decision, comment = ""): Promise<PromotionRequest> {
  assertScope(access, "project:read");
  const text = comment.trim();
  if (text.length > MAX_REQUEST_COMMENT_LENGTH) throw badInput(`A comment may be at most ${MAX_REQUEST_COMMENT_LENGTH} characters`);
  if (decision === "REJECT" && !text) throw badInput("Say why: a rejection needs a comment");
  const [{ policy }, first] = await Promise.all([getPolicy(access), requestRow(db(), access, id)]);
  const target = targetOfRow(first);
  const gate = gateFor(policy, target) ?? UNGATED_RULES;
  const blocked = decisionBlockedBy(access, gate, first);
  if (blocked) throw forbidden(blocked);
  if (first.state === "PENDING" && first.expiresAt <= new Date()) throw conflict(`Promotion request ${id} expired on ${first.expiresAt.toISOString()}`);

  let refusal: string | null = null;
  const decided = await transaction(async (tx) => {
    const model = await findModelRow(tx, access.project.id, (await modelOfRow(tx, first)).name, true);
    await tx.$executeRaw`SELECT 1 FROM "PromotionRequest" WHERE "id" = ${id} FOR UPDATE`;
    const row = await requestRow(tx, access, id);
    const userId = access.actor.type === "USER" ? access.actor.userId : "";
    const again = decisionBlockedBy(access, gate, row);
    if (again) throw conflict(again);
    const now = new Date();
    const history = { model, version: row.version, requestId: id };

    if (decision === "REJECT") {
      const state = promotionRequestTransition(row.state, "REJECTED");
      await tx.promotionDecision.create({ data: { requestId: id, userId, userLabel: access.actor.type === "USER" ? access.actor.email : "", role: access.role ?? "", decision, comment: text } });
      await tx.promotionRequest.update({ where: { id }, data: { state, decidedAt: now, resolution: text } });
      await recordRegistryEvent(tx, access, { ...history, kind: "promotion.reject", before: { state: "PENDING" }, after: { state, comment: text } });
      return requestRow(tx, access, id);
    }

    promotionRequestTransition(row.state, "APPROVED");
    const approvals = row.decisions.filter((entry) => entry.decision === "APPROVE").length + 1;
    const final = approvals >= row.requiredApprovals;
    if (final) {
      const holders = await holdersOf(tx, model.id, target);
      const evidence = await computeEvidence(access, { name: model.name, version: row.version, holders, gate: gateFor(policy, target) });
      const moved = holders.join(",") !== row.holdersAtRequest.join(",");
      if (moved || !evidence.checksPass) {
        refusal = moved
          ? `${stageOrAliasLabel(target)} is held by ${holders.length ? holders.map((v) => `v${v}`).join(", ") : "no version"} now, not ${row.holdersAtRequest.length ? row.holdersAtRequest.map((v) => `v${v}`).join(", ") : "no version"} as when requested: review the fresh evidence`
          : `A check of the approval policy fails now: ${failedChecks(evidence)}`;
        await tx.promotionRequest.update({ where: { id }, data: { evidence: JSON.parse(JSON.stringify(evidence)) as object } });
        return row;
      }
    }
    await tx.promotionDecision.create({ data: { requestId: id, userId, userLabel: access.actor.type === "USER" ? access.actor.email : "", role: access.role ?? "", decision, comment: text } });
    await recordRegistryEvent(tx, access, { ...history, kind: "promotion.approve", after: { approvals, required: row.requiredApprovals, comment: text } });
    if (!final) return requestRow(tx, access, id);

    const version = await findVersionRow(tx, model, row.version);
    if (target.kind === "stage") {
      await moveToStage(tx, access, { model, row: version }, { stage: target.stage, archiveExisting: row.archiveExisting }, id);
    } else {
      await pointAlias(tx, access, { model, row: version }, target.alias, id);
    }
    await tx.promotionRequest.update({ where: { id }, data: { state: "APPROVED", decidedAt: now, resolution: text || null } });
    const others = await tx.promotionRequest.findMany({
      where: { projectId: access.project.id, modelId: model.id, targetKind: row.targetKind, targetName: row.targetName, state: "PENDING", NOT: { id } },
      select: { id: true, version: true, state: true },
    });
    for (const other of others) {
      const state = promotionRequestTransition(other.state, "SUPERSEDED");
      await tx.promotionRequest.update({ where: { id: other.id }, data: { state, decidedAt: now, resolution: `Superseded by request ${id} (version ${row.version} approved)` } });
      await recordRegistryEvent(tx, access, { model, version: other.version, requestId: other.id, kind: "promotion.supersede", before: { state: "PENDING" }, after: { state, by: id } });
    }
    return requestRow(tx, access, id);
  });
  if (refusal) throw conflict(refusal);
  return toPromotionRequest(decided);
}

/** Whether the request's requester may cancel it now (for the page's controls). */
export function mayCancel(access: ProjectAccess, row: { state: string; requesterType: string; requesterId: string }): boolean {
  return row.state === "PENDING" && isRequester(access, row);
}
