import { publicOrigin } from "./public-origin";
import type { PromotionRequest } from "@/server/services/promotions";

/** A promotion request on Tally's REST API (snake_case, times as ISO strings). */
export function promotionRequestWire(request: PromotionRequest, url: string) {
  return {
    id: request.id,
    url,
    model: request.modelName,
    version: request.version,
    target: request.target.kind === "stage" ? { stage: request.target.stage } : { alias: request.target.alias },
    archive_existing: request.archiveExisting,
    state: request.state,
    requester: request.requester.label,
    comment: request.comment,
    required_approvals: request.requiredApprovals,
    approvals: request.approvals,
    decisions: request.decisions.map((decision) => ({
      by: decision.userLabel,
      role: decision.role,
      decision: decision.decision,
      comment: decision.comment,
      at: decision.createdAt.toISOString(),
    })),
    evidence: request.evidence,
    created_at: request.createdAt.toISOString(),
    expires_at: request.expiresAt.toISOString(),
    decided_at: request.decidedAt?.toISOString() ?? null,
    resolution: request.resolution,
  };
}

/** The web page of a request, under TALLY_URL or else the origin the API request came to. */
export function promotionRequestUrl(request: Request, slug: string, id: string): string {
  return `${publicOrigin(request.url)}/projects/${slug}/requests/${id}`;
}
