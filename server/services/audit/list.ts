import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";

export interface AuditEvent {
  id: string;
  createdAt: Date;
  actorType: string;
  actorLabel: string;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
}

/** Newest first, keyset-paginated on the event id so pages stay stable while events are added. */
export async function listAuditEvents(
  access: ProjectAccess,
  page: { cursor?: string; limit: number },
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  assertScope(access, "audit:read");
  const rows = await db().auditEvent.findMany({
    where: {
      projectId: access.project.id,
      ...(page.cursor ? { id: { lt: BigInt(page.cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: page.limit + 1,
  });
  const pageRows = rows.slice(0, page.limit);
  return {
    events: pageRows.map((row) => ({ ...row, id: row.id.toString() })),
    nextCursor: rows.length > page.limit ? (pageRows.at(-1)?.id.toString() ?? null) : null,
  };
}
