import { badInput } from "@/lib/errors";
import type { PromotionRequestState, StageOrAlias } from "@/lib/model-registry-states";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { gateFor, getPolicy, type ApprovalPolicy } from "../policy";
import { decisionBlockedBy, mayCancel, UNGATED_RULES } from "./decisions";
import { requestRow, targetOfRow, toPromotionRequest } from "./requests";
import type { PromotionRequest, RequestAbilities } from "./types";

/** Which requests a list shows: those the signed-in person can decide now, their own, or all. */
export type RequestView = "decidable" | "mine" | "all";

export interface RequestListQuery {
  view: RequestView;
  modelName?: string;
  target?: StageOrAlias;
  state?: PromotionRequestState;
  /** The id of the last request of the previous page. */
  cursor?: string;
  limit: number;
}

const include = { decisions: { orderBy: { createdAt: "asc" } } } as const;
type Row = Awaited<ReturnType<typeof requestRow>>;
/** What deciding depends on: a row without its evidence will do. */
type DecisionFacts = Pick<Row, "state" | "expiresAt" | "requesterType" | "requesterId" | "targetKind" | "targetName"> & { decisions: { userId: string }[] };
const DECISION_FACTS = {
  state: true,
  expiresAt: true,
  requesterType: true,
  requesterId: true,
  targetKind: true,
  targetName: true,
  decisions: { select: { userId: true } },
} as const;

function blockedBy(access: ProjectAccess, policy: ApprovalPolicy, row: DecisionFacts): string | null {
  if (row.state !== "PENDING") return `The request is ${row.state.toLowerCase()}`;
  if (row.expiresAt <= new Date()) return "The request has expired";
  return decisionBlockedBy(access, gateFor(policy, targetOfRow(row)) ?? UNGATED_RULES, row);
}

/** What the viewer may do with the request now; the page shows exactly these controls. */
export async function requestAbilities(access: ProjectAccess, id: string): Promise<RequestAbilities> {
  assertScope(access, "project:read");
  const [{ policy }, row] = await Promise.all([getPolicy(access), requestRow(db(), access, id)]);
  const blocked = blockedBy(access, policy, row);
  return { approve: blocked === null, reject: blocked === null, cancel: mayCancel(access, row), approveBlockedBy: blocked };
}

/**
 * A page of the project's requests, newest first. "decidable" is computed against the current
 * policy (roles, four eyes, decisions already made), over pending requests only.
 */
export async function listPromotionRequests(access: ProjectAccess, query: RequestListQuery): Promise<{ requests: PromotionRequest[]; nextCursor: string | null }> {
  assertScope(access, "project:read");
  const actor = access.actor;
  if (query.view === "mine" && actor.type !== "USER" && actor.type !== "TOKEN") throw badInput("Only a person or a token has requests of their own");
  const where = {
    projectId: access.project.id,
    ...(query.modelName ? { modelName: query.modelName } : {}),
    ...(query.target ? { targetKind: query.target.kind, targetName: query.target.kind === "stage" ? query.target.stage : query.target.alias } : {}),
    ...(query.view === "decidable" ? { state: "PENDING", expiresAt: { gt: new Date() } } : query.state ? { state: query.state } : {}),
    ...(query.view === "mine"
      ? { requesterType: actor.type, requesterId: actor.type === "USER" ? actor.userId : actor.type === "TOKEN" ? actor.tokenId : "" }
      : {}),
  };
  const page = { orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], include };
  if (query.view !== "decidable") {
    const rows = await db().promotionRequest.findMany({
      where,
      ...page,
      take: query.limit + 1,
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    });
    return { requests: rows.slice(0, query.limit).map(toPromotionRequest), nextCursor: rows.length > query.limit ? rows[query.limit - 1]!.id : null };
  }
  // Pending requests are few; which of them this person can decide depends on the policy per target.
  // Decide on the facts alone, then load the page's requests with their evidence.
  const [{ policy }, candidates] = await Promise.all([
    getPolicy(access),
    db().promotionRequest.findMany({ where, orderBy: page.orderBy, take: 1_000, select: { id: true, ...DECISION_FACTS } }),
  ]);
  const ids = candidates.filter((row) => blockedBy(access, policy, row) === null).map((row) => row.id);
  const start = query.cursor ? ids.indexOf(query.cursor) + 1 : 0;
  const shown = ids.slice(start, start + query.limit);
  const rows = await db().promotionRequest.findMany({ where: { id: { in: shown } }, ...page });
  return { requests: rows.map(toPromotionRequest), nextCursor: ids.length > start + query.limit ? shown.at(-1)! : null };
}

/** How many pending requests the signed-in person can decide (the Requests tab's badge). */
export async function decidableRequestCount(access: ProjectAccess): Promise<number> {
  assertScope(access, "project:read");
  if (access.actor.type !== "USER") return 0;
  // Every project page shows this badge: read only what deciding depends on, never the evidence.
  const [{ policy }, rows] = await Promise.all([
    getPolicy(access),
    db().promotionRequest.findMany({
      where: { projectId: access.project.id, state: "PENDING", expiresAt: { gt: new Date() } },
      select: DECISION_FACTS,
    }),
  ]);
  return rows.filter((row) => blockedBy(access, policy, row) === null).length;
}

/** Pending requests of the project (the dashboard's KPI). */
export async function pendingRequestCount(access: ProjectAccess): Promise<number> {
  assertScope(access, "project:read");
  return db().promotionRequest.count({ where: { projectId: access.project.id, state: "PENDING", expiresAt: { gt: new Date() } } });
}
