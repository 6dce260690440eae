import type { Role } from "@/lib/rbac";
import { conflict, forbidden, notFound } from "@/lib/errors";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";

export interface ProjectMember {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  joinedAt: Date;
  /** Whether the account's email was shown to belong to its owner (SSO, an admin, a bound invite). */
  emailVerified: boolean;
}

const memberUser = { id: true, email: true, name: true, emailVerifiedAt: true } as const;

export async function listMembers(access: ProjectAccess): Promise<ProjectMember[]> {
  assertScope(access, "project:read");
  const rows = await db().membership.findMany({
    where: { projectId: access.project.id },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    select: { role: true, createdAt: true, user: { select: memberUser } },
  });
  return rows.map((row) => ({
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.role,
    joinedAt: row.createdAt,
    emailVerified: row.user.emailVerifiedAt !== null,
  }));
}

export async function addMember(access: ProjectAccess, email: string, role: Role): Promise<ProjectMember> {
  assertScope(access, "members:manage");
  return transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email }, select: memberUser });
    if (!user) throw notFound(`No account exists for ${email}. Send them an invite link instead.`);
    const existing = await tx.membership.findUnique({
      where: { projectId_userId: { projectId: access.project.id, userId: user.id } },
      select: { role: true },
    });
    if (existing) throw conflict(`${email} is already a ${existing.role.toLowerCase()} of this project`);
    const membership = await tx.membership.create({
      data: { projectId: access.project.id, userId: user.id, role },
      select: { createdAt: true },
    });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "member.add",
      resourceType: "membership",
      resourceId: user.id,
      actorRole: access.roleSnapshot,
      after: { userId: user.id, email: user.email, role },
    });
    return {
      userId: user.id,
      email: user.email,
      name: user.name,
      role,
      joinedAt: membership.createdAt,
      emailVerified: user.emailVerifiedAt !== null,
    };
  });
}

export async function changeMemberRole(access: ProjectAccess, userId: string, role: Role): Promise<void> {
  assertScope(access, "members:manage");
  await transaction(async (tx) => {
    const current = await lockMembership(tx, access.project.id, userId);
    if (current.role === role) return;
    if (current.role === "OWNER") await assertAnotherOwner(tx, access.project.id, "demote");
    await tx.membership.update({ where: { id: current.id }, data: { role } });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "member.role_change",
      resourceType: "membership",
      resourceId: userId,
      actorRole: access.roleSnapshot,
      before: { userId, email: current.email, role: current.role },
      after: { userId, email: current.email, role },
    });
  });
}

/** Owners remove anyone; every member may leave on their own. The last owner can do neither. */
export async function removeMember(access: ProjectAccess, userId: string): Promise<void> {
  const self = access.actor.type === "USER" && access.actor.userId === userId;
  if (!self) assertScope(access, "members:manage");
  await transaction(async (tx) => {
    const current = await lockMembership(tx, access.project.id, userId);
    if (current.role === "OWNER") await assertAnotherOwner(tx, access.project.id, "remove");
    await tx.membership.delete({ where: { id: current.id } });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "member.remove",
      resourceType: "membership",
      resourceId: userId,
      actorRole: access.roleSnapshot,
      before: { userId, email: current.email, role: current.role },
    });
  });
}

/**
 * Row locks on the project's owner memberships make concurrent demotions of two different owners
 * serialize, so together they can never leave the project without one.
 */
async function lockMembership(tx: Tx, projectId: string, userId: string) {
  await tx.$queryRaw`SELECT id FROM "Membership" WHERE "projectId" = ${projectId} AND role = 'OWNER' FOR UPDATE`;
  const membership = await tx.membership.findUnique({
    where: { projectId_userId: { projectId, userId } },
    select: { id: true, role: true, user: { select: { email: true } } },
  });
  if (!membership) throw notFound("That person is not a member of this project");
  return { id: membership.id, role: membership.role, email: membership.user.email };
}

async function assertAnotherOwner(tx: Tx, projectId: string, verb: "demote" | "remove"): Promise<void> {
  const owners = await tx.membership.count({ where: { projectId, role: "OWNER" } });
  if (owners <= 1) {
    throw forbidden(`Cannot ${verb} the last owner: make someone else an owner first`);
  }
}
