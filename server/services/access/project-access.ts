import { hasScope, tokenHasScope, type Role, type Scope } from "@/lib/rbac";
import { forbidden, notFound } from "@/lib/errors";
import { db } from "@/server/db/client";
import { noteProject } from "@/server/observability/request-context";
import type { Actor, TokenActor } from "./actor";

export interface ProjectAccess {
  actor: Actor;
  project: { id: string; slug: string; name: string };
  /** The member's role; instance admins and the admin CLI act as OWNER; null for tokens. */
  role: Role | null;
  /** The actor's own membership role; null for tokens, the CLI, and admins who are not members. */
  memberRole: Role | null;
  /** What the audit log records as the actor's role at the time. */
  roleSnapshot: string;
  can(scope: Scope): boolean;
}

/**
 * The one gate to a project. Every edge (tRPC, REST, CLI) resolves access here before calling a
 * service; it answers only "may this actor reach this project at all". What the actor may do there is
 * decided by the service, which asserts its scope first thing (`assertScope`) and constrains every
 * query by `access.project.id` (docs/permissions.md, "Where the decision is made").
 *
 * A project the actor may not see is reported as not found, so its existence does not leak.
 */
export async function resolveProjectAccess(actor: Actor, slug: string): Promise<ProjectAccess> {
  const access = actor.type === "TOKEN" ? tokenAccess(actor, slug) : await memberAccess(actor, slug);
  // The request's log line names the project it reached (outside a request this does nothing).
  noteProject(access.project.slug);
  return access;
}

async function memberAccess(actor: Exclude<Actor, TokenActor>, slug: string): Promise<ProjectAccess> {
  const project = await db().project.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      name: true,
      memberships:
        actor.type === "USER" ? { where: { userId: actor.userId }, select: { role: true } } : false,
    },
  });
  const missing = notFound(`Project "${slug}" not found`);
  if (!project) throw missing;
  const { memberships, ...projectFields } = project;

  const memberRole = actor.type === "USER" ? (memberships?.[0]?.role ?? null) : null;
  const elevated = actor.type === "SYSTEM" || (actor.type === "USER" && actor.isAdmin);
  const role: Role | null = elevated ? "OWNER" : memberRole;
  if (!role) throw missing;
  return {
    actor,
    project: projectFields,
    role,
    memberRole,
    roleSnapshot: actor.type === "SYSTEM" ? "SYSTEM" : elevated ? `ADMIN${memberRole ? `+${memberRole}` : ""}` : role,
    can: (scope) => hasScope(role, scope),
  };
}

/** Slugs never change, so a token's own project needs no database round trip (the ingest hot path). */
function tokenAccess(actor: TokenActor, slug: string): ProjectAccess {
  if (actor.project.slug !== slug) throw notFound(`Project "${slug}" not found`);
  return {
    actor,
    project: actor.project,
    role: null,
    memberRole: null,
    roleSnapshot: `token:${actor.scopes.join(",")}`,
    can: (scope) => tokenHasScope(actor.scopes, scope),
  };
}

/** The service's permission check: the first statement of every service function on project data. */
export function assertScope(access: ProjectAccess, scope: Scope): void {
  if (!access.can(scope)) {
    const who = access.role ? `the ${access.role.toLowerCase()} role` : "this API token";
    throw forbidden(`Permission denied: ${who} does not allow ${scope} in project "${access.project.slug}"`);
  }
}
