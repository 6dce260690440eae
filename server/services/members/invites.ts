import { createHash, randomBytes } from "node:crypto";
import type { Role } from "@/lib/rbac";
import { conflict, forbidden, notFound } from "@/lib/errors";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { assertScope, type ProjectAccess, type UserActor } from "../access";
import { recordAudit } from "../audit";

/** Invite links carry a random secret; only its hash is stored, so the link is shown once. */
const hashInviteToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface Invite {
  id: string;
  role: Role;
  /** When set, only the account with this email may use the invite. */
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
}

const inviteView = { id: true, role: true, email: true, createdAt: true, expiresAt: true } as const;

export async function createInvite(
  access: ProjectAccess,
  input: { role: Role; expiresInDays: number; email?: string },
  now = new Date(),
): Promise<{ invite: Invite; token: string }> {
  assertScope(access, "members:manage");
  const token = randomBytes(24).toString("base64url");
  return transaction(async (tx) => {
    const invite = await tx.invite.create({
      data: {
        projectId: access.project.id,
        role: input.role,
        email: input.email ?? null,
        tokenHash: hashInviteToken(token),
        createdById: access.actor.type === "USER" ? access.actor.userId : "system",
        expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      },
      select: inviteView,
    });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "invite.create",
      resourceType: "invite",
      resourceId: invite.id,
      actorRole: access.roleSnapshot,
      after: invite,
    });
    return { invite, token };
  });
}

/** Invites still waiting to be used. */
export async function listPendingInvites(access: ProjectAccess, now = new Date()): Promise<Invite[]> {
  assertScope(access, "members:manage");
  return db().invite.findMany({
    where: { projectId: access.project.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: inviteView,
  });
}

export async function revokeInvite(access: ProjectAccess, inviteId: string): Promise<void> {
  assertScope(access, "members:manage");
  await transaction(async (tx) => {
    const revoked = await tx.invite.updateMany({
      where: { id: inviteId, projectId: access.project.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count === 0) throw notFound("No pending invite with that id in this project");
    // What was revoked (the pending invite as invite.create recorded it), for the audit log.
    const before = await tx.invite.findUniqueOrThrow({ where: { id: inviteId }, select: inviteView });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "invite.revoke",
      resourceType: "invite",
      resourceId: inviteId,
      actorRole: access.roleSnapshot,
      before,
    });
  });
}

export interface UsableInvite {
  id: string;
  role: Role;
  email: string | null;
  expiresAt: Date;
  project: { id: string; slug: string; name: string };
}

export async function findUsableInvite(tx: Tx, token: string, now = new Date()): Promise<UsableInvite | null> {
  return tx.invite.findFirst({
    where: { tokenHash: hashInviteToken(token), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, role: true, email: true, expiresAt: true, project: { select: { id: true, slug: true, name: true } } },
  });
}

/** What the invite page shows to whoever holds the link. */
export async function previewInvite(token: string): Promise<UsableInvite | null> {
  return findUsableInvite(db(), token);
}

export async function acceptInvite(user: UserActor, token: string): Promise<{ projectSlug: string }> {
  return transaction(async (tx) => {
    const invite = await findUsableInvite(tx, token);
    if (!invite) throw notFound("This invite link is invalid, expired or already used");
    await acceptInviteInTx(tx, invite, user);
    return { projectSlug: invite.project.slug };
  });
}

export async function acceptInviteInTx(tx: Tx, invite: UsableInvite, user: UserActor): Promise<void> {
  if (invite.email && invite.email !== user.email) {
    throw forbidden(`This invite link is for a different email address than ${user.email}; ask the project owner for your own`);
  }
  // Conditional update: of two people racing on one link, exactly one gets it.
  const claimed = await tx.invite.updateMany({
    where: { id: invite.id, acceptedAt: null },
    data: { acceptedAt: new Date(), acceptedById: user.userId },
  });
  if (claimed.count === 0) throw notFound("This invite link was already used");
  const existing = await tx.membership.findUnique({
    where: { projectId_userId: { projectId: invite.project.id, userId: user.userId } },
    select: { role: true },
  });
  if (existing) throw conflict(`You are already a ${existing.role.toLowerCase()} of ${invite.project.name}`);
  await tx.membership.create({ data: { projectId: invite.project.id, userId: user.userId, role: invite.role } });
  await recordAudit(tx, user, {
    projectId: invite.project.id,
    action: "invite.accept",
    resourceType: "membership",
    resourceId: user.userId,
    actorRole: invite.role,
    after: { userId: user.userId, email: user.email, role: invite.role, inviteId: invite.id },
  });
}
