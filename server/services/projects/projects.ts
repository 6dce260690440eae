import type { Role } from "@/lib/rbac";
import { badInput, conflict, forbidden } from "@/lib/errors";
import { db } from "@/server/db/client";
import { transaction } from "@/server/db/transaction";
import { assertScope, type Actor, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";
import { announceInvalidation, invalidateLocally } from "../cache-invalidation";

export interface ProjectSummary {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  /** The caller's own role; null for an instance admin who is not a member. */
  role: Role | null;
  memberCount: number;
}

/**
 * Instance admins (and the admin CLI) create projects. A signed-in admin becomes its first owner;
 * the CLI names the owner by email.
 */
export async function createProject(
  actor: Actor,
  input: { slug: string; name: string; ownerEmail?: string },
): Promise<{ id: string; slug: string; name: string }> {
  if (actor.type === "TOKEN" || (actor.type === "USER" && !actor.isAdmin)) {
    throw forbidden("Only instance administrators can create projects");
  }
  return transaction(async (tx) => {
    const ownerId = input.ownerEmail
      ? (await tx.user.findUnique({ where: { email: input.ownerEmail }, select: { id: true } }))?.id
      : actor.type === "USER"
        ? actor.userId
        : undefined;
    if (!ownerId) {
      throw badInput(input.ownerEmail ? `No account exists for ${input.ownerEmail}` : "A project needs an owner");
    }
    if (await tx.project.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
      throw conflict(`The slug "${input.slug}" is already taken`);
    }
    const project = await tx.project.create({
      data: { slug: input.slug, name: input.name, memberships: { create: { userId: ownerId, role: "OWNER" } } },
      select: { id: true, slug: true, name: true },
    });
    const actorRole = actor.type === "SYSTEM" ? "SYSTEM" : "ADMIN";
    await recordAudit(tx, actor, {
      projectId: project.id,
      action: "project.create",
      resourceType: "project",
      resourceId: project.id,
      actorRole,
      after: project,
    });
    await recordAudit(tx, actor, {
      projectId: project.id,
      action: "member.add",
      resourceType: "membership",
      resourceId: ownerId,
      actorRole,
      after: { userId: ownerId, role: "OWNER" },
    });
    return project;
  });
}

/** The projects a person may open: their memberships, or every project for an instance admin. */
export async function listProjects(actor: Actor): Promise<ProjectSummary[]> {
  if (actor.type !== "USER") throw forbidden("Only people have project lists");
  const projects = await db().project.findMany({
    where: actor.isAdmin ? {} : { memberships: { some: { userId: actor.userId } } },
    orderBy: { name: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      createdAt: true,
      memberships: { where: { userId: actor.userId }, select: { role: true } },
      _count: { select: { memberships: true } },
    },
  });
  return projects.map(({ memberships, _count, ...project }) => ({
    ...project,
    role: memberships[0]?.role ?? null,
    memberCount: _count.memberships,
  }));
}

export async function renameProject(access: ProjectAccess, name: string): Promise<{ name: string }> {
  assertScope(access, "project:update");
  const renamed = await transaction(async (tx) => {
    const updated = await tx.project.update({
      where: { id: access.project.id },
      data: { name },
      select: { name: true },
    });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "project.update",
      resourceType: "project",
      resourceId: access.project.id,
      actorRole: access.roleSnapshot,
      before: { name: access.project.name },
      after: updated,
    });
    // Cached tokens carry their project's name.
    await announceInvalidation(tx, { kind: "project", projectId: access.project.id });
    return updated;
  });
  invalidateLocally({ kind: "project", projectId: access.project.id });
  return renamed;
}

/** Deletes the project and everything in it. The audit trail stays (it has no foreign keys). */
export async function deleteProject(access: ProjectAccess, confirmSlug: string): Promise<void> {
  assertScope(access, "project:delete");
  if (confirmSlug !== access.project.slug) {
    throw badInput(`Type the project slug "${access.project.slug}" to confirm deletion`);
  }
  await transaction(async (tx) => {
    // Metric points have no foreign key to cascade (see MetricPoint in the schema). Locking the runs
    // first waits for writers that hold one and turns later writers away, so no point is left behind.
    const projectId = access.project.id;
    await tx.$queryRaw`SELECT 1 FROM "Run" WHERE "projectId" = ${projectId} ORDER BY "seq" FOR UPDATE`;
    await tx.$executeRaw`DELETE FROM "MetricPoint" WHERE "runSeq" IN (SELECT "seq" FROM "Run" WHERE "projectId" = ${projectId})`;
    await tx.project.delete({ where: { id: projectId } });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "project.delete",
      resourceType: "project",
      resourceId: access.project.id,
      actorRole: access.roleSnapshot,
      before: access.project,
    });
    await announceInvalidation(tx, { kind: "project", projectId });
  });
  invalidateLocally({ kind: "project", projectId: access.project.id });
}
