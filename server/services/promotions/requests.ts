import { badInput, forbidden, notFound } from "@/lib/errors";
import { promotionRequestTransition, stageOrAliasLabel, type PromotionRequestState, type StageOrAlias } from "@/lib/model-registry-states";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { actorLabel, assertScope, type ProjectAccess } from "../access";
import { gateFor, getPolicy } from "../policy";
import { assertAlias, findModelRow, findVersionRow, stageMoveInput, recordRegistryEvent } from "../registry/internal";
import { computeEvidence, holdersOf } from "./evidence";
import type { PromotionEvidence, PromotionRequest } from "./types";

import { MAX_PROMOTION_COMMENT_LENGTH as MAX_REQUEST_COMMENT_LENGTH } from "@/lib/schemas/promotions";
export { MAX_REQUEST_COMMENT_LENGTH };

const requestInclude = { decisions: { orderBy: { createdAt: "asc" } } } as const;
type RequestRow = NonNullable<Awaited<ReturnType<typeof loadRow>>>;

function loadRow(client: Tx, projectId: string, id: string) {
  return client.promotionRequest.findFirst({ where: { id, projectId }, include: requestInclude });
}

export function targetOfRow(row: { targetKind: string; targetName: string }): StageOrAlias {
  return row.targetKind === "stage" ? { kind: "stage", stage: stageMoveInput({ stage: row.targetName, archiveExisting: false }).stage } : { kind: "alias", alias: row.targetName };
}

export function toPromotionRequest(row: RequestRow): PromotionRequest {
  const decisions = row.decisions.map((decision) => ({
    userLabel: decision.userLabel,
    role: decision.role,
    decision: decision.decision as "APPROVE" | "REJECT",
    comment: decision.comment,
    createdAt: decision.createdAt,
  }));
  return {
    id: row.id,
    modelName: row.modelName,
    version: row.version,
    target: targetOfRow(row),
    archiveExisting: row.archiveExisting,
    state: row.state as PromotionRequestState,
    requester: { type: row.requesterType as "USER" | "TOKEN", id: row.requesterId, label: row.requesterLabel },
    comment: row.comment,
    holdersAtRequest: row.holdersAtRequest,
    evidence: row.evidence as unknown as PromotionEvidence,
    requiredApprovals: row.requiredApprovals,
    approvals: decisions.filter((decision) => decision.decision === "APPROVE").length,
    decisions,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    resolution: row.resolution,
  };
}

/** A request of this project, or NOT_FOUND (also for another project's ids). */
export async function requestRow(client: Tx, access: ProjectAccess, id: string): Promise<RequestRow> {
  const row = await loadRow(client, access.project.id, id);
  if (!row) throw notFound(`Promotion request ${id} not found`);
  return row;
}

/** Who made a request, as stored: a person or a token (the CLI never requests). */
function requesterOf(access: ProjectAccess): { type: "USER" | "TOKEN"; id: string } {
  if (access.actor.type === "USER") return { type: "USER", id: access.actor.userId };
  if (access.actor.type === "TOKEN") return { type: "TOKEN", id: access.actor.tokenId };
  throw forbidden("Promotion requests are made by people and API tokens, not by the admin CLI");
}

/** Whether `access` is the one who made the request (the same person, or the same token). */
export function isRequester(access: ProjectAccess, row: { requesterType: string; requesterId: string }): boolean {
  const actor = access.actor;
  return (actor.type === "USER" && row.requesterType === "USER" && row.requesterId === actor.userId) ||
    (actor.type === "TOKEN" && row.requesterType === "TOKEN" && row.requesterId === actor.tokenId);
}

/**
 * Asks to move a version to a gated stage or alias: the evidence is computed now and kept with the
 * request. An identical pending request (same version and target) is returned instead of a second.
 */
export async function requestPromotion(
  access: ProjectAccess,
  input: { name: string; version: number; target: StageOrAlias; archiveExisting?: boolean; comment?: string },
): Promise<PromotionRequest> {
  assertScope(access, "promotions:request");
  const requester = requesterOf(access);
  const { name, version, target } = input;
  const comment = (input.comment ?? "").trim();
  if (comment.length > MAX_REQUEST_COMMENT_LENGTH) throw badInput(`A comment may be at most ${MAX_REQUEST_COMMENT_LENGTH} characters`);
  if (target.kind === "alias") assertAlias(target.alias);
  const archiveExisting = target.kind === "stage" ? stageMoveInput({ stage: target.stage, archiveExisting: input.archiveExisting ?? false }).archiveExisting : false;
  const { policy } = await getPolicy(access);
  const gate = gateFor(policy, target);
  const label = stageOrAliasLabel(target);
  if (!gate) throw badInput(`${label} needs no approval under the project's policy: move the version directly`);

  const model = await findModelRow(db(), access.project.id, name);
  const row = await findVersionRow(db(), model, version);
  const holders = await holdersOf(db(), model.id, target);
  if (holders.includes(version)) throw badInput(`Version ${version} of ${name} already holds ${label}`);
  const targetName = target.kind === "stage" ? target.stage : target.alias;
  const existing = await db().promotionRequest.findFirst({
    where: { projectId: access.project.id, versionId: row.id, targetKind: target.kind, targetName, state: "PENDING" },
    include: requestInclude,
  });
  if (existing) return toPromotionRequest(existing);

  const evidence = await computeEvidence(access, { name, version, holders, gate });
  const created = await transaction(async (tx) => {
    const request = await tx.promotionRequest.create({
      data: {
        projectId: access.project.id,
        modelId: model.id,
        modelName: model.name,
        versionId: row.id,
        version,
        targetKind: target.kind,
        targetName,
        archiveExisting,
        requesterType: requester.type,
        requesterId: requester.id,
        requesterLabel: actorLabel(access.actor),
        comment,
        holdersAtRequest: holders,
        evidence: JSON.parse(JSON.stringify(evidence)) as object,
        requiredApprovals: gate.approvals,
        expiresAt: new Date(Date.now() + policy.requestExpiryDays * 86_400_000),
      },
      include: requestInclude,
    });
    await recordRegistryEvent(tx, access, {
      model,
      version,
      kind: "promotion.request",
      after: { target: label, archiveExisting, comment },
      requestId: request.id,
    });
    return request;
  });
  return toPromotionRequest(created);
}

export async function getPromotionRequest(access: ProjectAccess, id: string): Promise<PromotionRequest> {
  assertScope(access, "project:read");
  return toPromotionRequest(await requestRow(db(), access, id));
}

/** The request's model as it is called now (history rows carry the current name). */
export async function modelOfRow(tx: Tx, row: { modelId: string; modelName: string }): Promise<{ id: string; name: string }> {
  const model = await tx.registeredModel.findUnique({ where: { id: row.modelId }, select: { id: true, name: true } });
  return model ?? { id: row.modelId, name: row.modelName };
}

/** The requester withdraws a pending request. */
export async function cancelPromotionRequest(access: ProjectAccess, id: string, comment = ""): Promise<PromotionRequest> {
  assertScope(access, "project:read");
  return transaction(async (tx) => {
    const row = await requestRow(tx, access, id);
    if (!isRequester(access, row)) throw forbidden("Only the requester can cancel a promotion request");
    await tx.$executeRaw`SELECT 1 FROM "PromotionRequest" WHERE "id" = ${row.id} FOR UPDATE`;
    const locked = await requestRow(tx, access, id);
    const state = promotionRequestTransition(locked.state, "CANCELLED");
    await tx.promotionRequest.update({ where: { id }, data: { state, decidedAt: new Date(), resolution: comment.trim() || "Cancelled by the requester" } });
    await recordRegistryEvent(tx, access, {
      model: await modelOfRow(tx, row),
      version: row.version,
      kind: "promotion.cancel",
      before: { state: "PENDING" },
      after: { state },
      requestId: id,
    });
    return toPromotionRequest(await requestRow(tx, access, id));
  });
}

/** What a request would carry if made now: whether the target is gated, by whom, and the evidence. */
export async function previewPromotion(
  access: ProjectAccess,
  input: { name: string; version: number; target: StageOrAlias },
): Promise<{ gated: boolean; approvers: string[]; approvals: number; allowSelfApproval: boolean; evidence: PromotionEvidence }> {
  assertScope(access, "project:read");
  if (input.target.kind === "alias") assertAlias(input.target.alias);
  const gate = gateFor((await getPolicy(access)).policy, input.target);
  const model = await findModelRow(db(), access.project.id, input.name);
  await findVersionRow(db(), model, input.version);
  const holders = await holdersOf(db(), model.id, input.target);
  const evidence = await computeEvidence(access, { name: input.name, version: input.version, holders, gate });
  return { gated: gate !== null, approvers: gate?.approvers ?? [], approvals: gate?.approvals ?? 0, allowSelfApproval: gate?.allowSelfApproval ?? true, evidence };
}
