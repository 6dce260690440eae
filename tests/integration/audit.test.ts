import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { resolveProjectAccess } from "@/server/services/access";
import { authenticateToken } from "@/server/services/api-tokens";
import { listAuditEvents } from "@/server/services/audit";
import { createExperiment, renameExperiment } from "@/server/services/experiments";
import { signUp } from "@/server/services/users";
import { addTestMember, callerFor, createTestProject, createTestUser, trpcErrorOf, uniqueSuffix } from "../factories";

/**
 * The audit log: every change writes exactly one event naming who (and in which role) did what, with
 * before/after snapshots, in the same transaction as the change.
 */

async function eventsFor(projectId: string, action?: string) {
  return db().auditEvent.findMany({ where: { projectId, ...(action ? { action } : {}) }, orderBy: { id: "asc" } });
}

/** Exactly one event with this action in the project; returns it. */
async function onlyEvent(projectId: string, action: string) {
  const events = await eventsFor(projectId, action);
  expect(events, `events with action ${action}`).toHaveLength(1);
  return events[0]!;
}

async function ownedProject() {
  const { project, owner } = await createTestProject();
  return { project, owner, slug: project.slug, caller: callerFor(owner) };
}

/** The events a change added to the project's log. */
async function newEvents(projectId: string, change: () => Promise<unknown>) {
  const before = await eventsFor(projectId);
  await change();
  const after = await eventsFor(projectId);
  const seen = new Set(before.map((e) => e.id));
  return after.filter((e) => !seen.has(e.id));
}

describe("audit events for each change", () => {
  it("project create: recorded with the admin as actor, and the first owner's membership", async () => {
    const admin = await createTestUser({ isAdmin: true });
    const slug = `audited-${uniqueSuffix()}`;
    const project = await callerFor(admin).projects.create({ slug, name: "Audited" });
    const events = await eventsFor(project.id);
    expect(events.map((e) => e.action)).toEqual(["project.create", "member.add"]);
    expect(events[0]).toMatchObject({
      actorType: "USER",
      actorId: admin.userId,
      actorLabel: admin.email,
      actorRole: "ADMIN",
      resourceType: "project",
      resourceId: project.id,
      before: null,
      after: { id: project.id, slug, name: "Audited" },
    });
    expect(events[1]).toMatchObject({ resourceType: "membership", resourceId: admin.userId, after: { role: "OWNER" } });
  });

  it("member add: one event by the owner, with the new member after", async () => {
    const { project, owner, slug, caller } = await ownedProject();
    const person = await createTestUser();
    const added = await newEvents(project.id, () => caller.members.add({ projectSlug: slug, email: person.email, role: "MEMBER" }));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      action: "member.add",
      actorType: "USER",
      actorId: owner.userId,
      actorLabel: owner.email,
      actorRole: "OWNER",
      resourceType: "membership",
      resourceId: person.userId,
      before: null,
      after: { userId: person.userId, email: person.email, role: "MEMBER" },
    });
  });

  it("role change: one event with the role before and after", async () => {
    const { project, slug, caller } = await ownedProject();
    const person = await addTestMember(project.id, "VIEWER");
    const changed = await newEvents(project.id, () =>
      caller.members.changeRole({ projectSlug: slug, userId: person.userId, role: "MAINTAINER" }),
    );
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      action: "member.role_change",
      actorRole: "OWNER",
      resourceId: person.userId,
      before: { userId: person.userId, role: "VIEWER" },
      after: { userId: person.userId, role: "MAINTAINER" },
    });
    // Setting the role it already has changes nothing and records nothing.
    expect(
      await newEvents(project.id, () => caller.members.changeRole({ projectSlug: slug, userId: person.userId, role: "MAINTAINER" })),
    ).toEqual([]);
  });

  it("member remove: one event with the membership before, by the person themself when they leave", async () => {
    const { project, slug, caller } = await ownedProject();
    const removed = await addTestMember(project.id, "MEMBER");
    const leaver = await addTestMember(project.id, "VIEWER");
    const byOwner = await newEvents(project.id, () => caller.members.remove({ projectSlug: slug, userId: removed.userId }));
    expect(byOwner).toHaveLength(1);
    expect(byOwner[0]).toMatchObject({
      action: "member.remove",
      actorRole: "OWNER",
      resourceId: removed.userId,
      before: { userId: removed.userId, role: "MEMBER" },
      after: null,
    });
    const left = await newEvents(project.id, () => callerFor(leaver).members.remove({ projectSlug: slug, userId: leaver.userId }));
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ action: "member.remove", actorId: leaver.userId, actorRole: "VIEWER" });
  });

  it("invite create, revoke and accept: one event each", async () => {
    const { project, owner, slug, caller } = await ownedProject();
    const { invite } = await caller.invites.create({ projectSlug: slug, role: "MAINTAINER", expiresInDays: 3 });
    const created = await onlyEvent(project.id, "invite.create");
    expect(created).toMatchObject({ actorId: owner.userId, actorRole: "OWNER", resourceType: "invite", resourceId: invite.id });
    expect(created.after).toMatchObject({ id: invite.id, role: "MAINTAINER" });

    await caller.invites.revoke({ projectSlug: slug, inviteId: invite.id });
    // The revoked invite is recorded as it was, so the log shows which offer (which role) was withdrawn.
    expect(await onlyEvent(project.id, "invite.revoke")).toMatchObject({
      actorId: owner.userId,
      actorRole: "OWNER",
      resourceType: "invite",
      resourceId: invite.id,
      before: { id: invite.id, role: "MAINTAINER" },
      after: null,
    });

    const { invite: second, token } = await caller.invites.create({ projectSlug: slug, role: "VIEWER", expiresInDays: 3 });
    const invitee = await createTestUser();
    await callerFor(invitee).invites.accept({ token });
    expect(await onlyEvent(project.id, "invite.accept")).toMatchObject({
      actorType: "USER",
      actorId: invitee.userId,
      actorLabel: invitee.email,
      actorRole: "VIEWER",
      resourceType: "membership",
      resourceId: invitee.userId,
      after: { userId: invitee.userId, role: "VIEWER", inviteId: second.id },
    });
  });

  it("token create and revoke: one event each, by a maintainer, never with the secret", async () => {
    const { project, slug } = await ownedProject();
    const maintainer = await addTestMember(project.id, "MAINTAINER");
    const caller = callerFor(maintainer);
    const { token, plaintext } = await caller.tokens.create({ projectSlug: slug, name: "ci", scopes: ["write"] });
    const created = await onlyEvent(project.id, "token.create");
    expect(created).toMatchObject({
      actorId: maintainer.userId,
      actorRole: "MAINTAINER",
      resourceType: "apiToken",
      resourceId: token.id,
      after: { id: token.id, name: "ci", scopes: ["write"], expiresAt: null },
    });
    await caller.tokens.revoke({ projectSlug: slug, tokenId: token.id });
    const revoked = await onlyEvent(project.id, "token.revoke");
    expect(revoked).toMatchObject({
      actorId: maintainer.userId,
      actorRole: "MAINTAINER",
      resourceType: "apiToken",
      resourceId: token.id,
      before: { id: token.id, name: "ci", scopes: ["write"] },
    });
    const secret = plaintext.slice(-32);
    for (const event of [created, revoked]) expect(JSON.stringify([event.before, event.after])).not.toContain(secret);
  });

  it("records an instance admin who is not a member as ADMIN, and one who is as ADMIN+role", async () => {
    const { project, slug } = await ownedProject();
    const outsider = await createTestUser({ isAdmin: true });
    const insider = await createTestUser({ isAdmin: true });
    await db().membership.create({ data: { projectId: project.id, userId: insider.userId, role: "VIEWER" } });
    await callerFor(outsider).projects.rename({ projectSlug: slug, name: "By an outside admin" });
    await callerFor(insider).projects.rename({ projectSlug: slug, name: "By an inside admin" });
    const renames = await eventsFor(project.id, "project.update");
    expect(renames.map((e) => [e.actorId, e.actorRole])).toEqual([
      [outsider.userId, "ADMIN"],
      [insider.userId, "ADMIN+VIEWER"],
    ]);
    expect(renames[1]).toMatchObject({ before: { name: "By an outside admin" }, after: { name: "By an inside admin" } });
  });

  it("keeps the project's events after the project is deleted", async () => {
    const { project, slug, caller } = await ownedProject();
    await caller.projects.delete({ projectSlug: slug, confirmSlug: slug });
    expect(await db().project.findUnique({ where: { id: project.id } })).toBeNull();
    const deleted = await onlyEvent(project.id, "project.delete");
    expect(deleted.before).toMatchObject({ id: project.id, slug });
  });

  it("names the API token as the actor when a token makes the change", async () => {
    const { project, owner, slug } = await ownedProject();
    const { plaintext, token } = await callerFor(owner).tokens.create({ projectSlug: slug, name: "trainer", scopes: ["write"] });
    const access = await resolveProjectAccess(await authenticateToken(plaintext), slug);
    const { id: experiment_id } = await createExperiment(access, { name: `exp-${uniqueSuffix()}`, tags: [] });
    await renameExperiment(access, experiment_id, "renamed by a token");
    expect(await onlyEvent(project.id, "experiment.rename")).toMatchObject({
      actorType: "TOKEN",
      actorId: token.id,
      actorLabel: expect.stringContaining("trainer"),
      actorRole: "token:write",
      after: { name: "renamed by a token" },
    });
  });
});

describe("reading the audit log", () => {
  it("pages through every event exactly once, newest first, following the cursor", async () => {
    const { project, slug, caller } = await ownedProject();
    for (let i = 0; i < 7; i++) await caller.projects.rename({ projectSlug: slug, name: `Name ${i}` });
    for (let i = 0; i < 3; i++) await caller.tokens.create({ projectSlug: slug, name: `t${i}`, scopes: ["read"] });
    const stored = (await eventsFor(project.id)).map((e) => e.id.toString()).reverse();
    expect(stored).toHaveLength(10);

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await caller.audit.list({ projectSlug: slug, limit: 3, cursor });
      pages.push(page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
      // An event added while paging is newer than the cursor and does not disturb later pages.
      if (pages.length === 1) await caller.projects.rename({ projectSlug: slug, name: "Renamed while paging" });
    } while (cursor);

    expect(pages.map((page) => page.length)).toEqual([3, 3, 3, 1]);
    expect(pages.flat()).toEqual(stored);
    const first = await caller.audit.list({ projectSlug: slug, limit: 200 });
    expect(first.nextCursor).toBeNull();
    expect(first.events).toHaveLength(11);
    expect(first.events[0]).toMatchObject({ action: "project.update", after: { name: "Renamed while paging" } });
    const times = first.events.map((e) => e.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("gives no cursor when everything fits on one page, and an empty page for an empty log", async () => {
    const { slug, caller } = await ownedProject();
    expect(await caller.audit.list({ projectSlug: slug, limit: 5 })).toEqual({ events: [], nextCursor: null });
    await caller.projects.rename({ projectSlug: slug, name: "Once" });
    const page = await caller.audit.list({ projectSlug: slug, limit: 1 });
    expect(page.events).toHaveLength(1);
    expect(page.nextCursor).toBeNull();
  });

  it("is readable by viewers", async () => {
    const { project, slug, caller } = await ownedProject();
    await caller.projects.rename({ projectSlug: slug, name: "Seen by a viewer" });
    const viewer = await addTestMember(project.id, "VIEWER");
    const page = await callerFor(viewer).audit.list({ projectSlug: slug, limit: 10 });
    expect(page.events.map((e) => e.action)).toEqual(["project.update"]);
  });

  it("is refused by the service itself to an access without audit:read, such as any API token's", async () => {
    const { slug, owner, caller } = await ownedProject();
    await caller.projects.rename({ projectSlug: slug, name: "Not for tokens" });
    for (const scope of ["promote", "read", "write"] as const) {
      const { plaintext } = await caller.tokens.create({ projectSlug: slug, name: `${scope}-token`, scopes: [scope] });
      const access = await resolveProjectAccess(await authenticateToken(plaintext), slug);
      await expect(listAuditEvents(access, { limit: 10 }), scope).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringContaining("audit:read"),
      });
    }
    const ownerAccess = await resolveProjectAccess(owner, slug);
    expect((await listAuditEvents(ownerAccess, { limit: 10 })).events.length).toBeGreaterThan(0);
  });
});

/**
 * Installs a trigger that makes every audit insert whose projectId or resourceId is `id` fail, runs
 * `work`, and removes the trigger. Other tests' events (other projects and resources) are untouched.
 */
async function withFailingAuditWrites(id: string, work: () => Promise<void>): Promise<void> {
  if (!/^[a-z0-9]+$/.test(id)) throw new Error(`unexpected id ${id}`);
  const name = `tally_test_refuse_audit_${uniqueSuffix()}`;
  await db().$executeRawUnsafe(`
    CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW."projectId" = '${id}' OR NEW."resourceId" = '${id}' THEN
        RAISE EXCEPTION 'audit write refused by test trigger';
      END IF;
      RETURN NEW;
    END $$`);
  await db().$executeRawUnsafe(
    `CREATE TRIGGER "${name}" BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "${name}"()`,
  );
  try {
    await work();
  } finally {
    await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS "${name}" ON "AuditEvent"`);
    await db().$executeRawUnsafe(`DROP FUNCTION IF EXISTS "${name}"()`);
  }
}

describe("audit events are written in the same transaction as the change", () => {
  it("does not keep a change whose audit event could not be written", async () => {
    const { project, slug, caller } = await ownedProject();
    const newcomer = await createTestUser();
    const member = await addTestMember(project.id, "MEMBER");
    const existing = await caller.tokens.create({ projectSlug: slug, name: "kept", scopes: ["read"] });
    const { invite } = await caller.invites.create({ projectSlug: slug, role: "VIEWER", expiresInDays: 1 });
    const eventsBefore = (await eventsFor(project.id)).length;

    await withFailingAuditWrites(project.id, async () => {
      const attempts: [string, () => Promise<unknown>][] = [
        ["token create", () => caller.tokens.create({ projectSlug: slug, name: "lost", scopes: ["read"] })],
        ["token revoke", () => caller.tokens.revoke({ projectSlug: slug, tokenId: existing.token.id })],
        ["member add", () => caller.members.add({ projectSlug: slug, email: newcomer.email, role: "MEMBER" })],
        ["role change", () => caller.members.changeRole({ projectSlug: slug, userId: member.userId, role: "OWNER" })],
        ["member remove", () => caller.members.remove({ projectSlug: slug, userId: member.userId })],
        ["invite revoke", () => caller.invites.revoke({ projectSlug: slug, inviteId: invite.id })],
        ["project rename", () => caller.projects.rename({ projectSlug: slug, name: "Never" })],
        ["project delete", () => caller.projects.delete({ projectSlug: slug, confirmSlug: slug })],
      ];
      for (const [label, attempt] of attempts) {
        expect((await trpcErrorOf(attempt())).code, label).toBe("INTERNAL_SERVER_ERROR");
      }
    });

    const tokens = await db().apiToken.findMany({ where: { projectId: project.id } });
    expect(tokens.map((t) => [t.name, t.revokedAt])).toEqual([["kept", null]]);
    const memberships = await db().membership.findMany({ where: { projectId: project.id } });
    expect(memberships.map((m) => m.userId)).not.toContain(newcomer.userId);
    expect(memberships.find((m) => m.userId === member.userId)?.role).toBe("MEMBER");
    expect((await db().invite.findUniqueOrThrow({ where: { id: invite.id } })).revokedAt).toBeNull();
    expect(await db().project.findUniqueOrThrow({ where: { id: project.id } })).toMatchObject({ name: project.name });
    expect(await eventsFor(project.id)).toHaveLength(eventsBefore);

    // With audit writes working again, the same changes go through, each with its event.
    await caller.tokens.create({ projectSlug: slug, name: "now kept", scopes: ["read"] });
    await caller.members.add({ projectSlug: slug, email: newcomer.email, role: "MEMBER" });
    expect(await db().apiToken.count({ where: { projectId: project.id } })).toBe(2);
    expect((await eventsFor(project.id)).length).toBe(eventsBefore + 2);
  });

  it("does not let someone join through an invite when the audit write fails", async () => {
    const { project, slug, caller } = await ownedProject();
    const { token } = await caller.invites.create({ projectSlug: slug, role: "MEMBER", expiresInDays: 1 });
    const invitee = await createTestUser();
    await withFailingAuditWrites(project.id, async () => {
      expect((await trpcErrorOf(callerFor(invitee).invites.accept({ token }))).code).toBe("INTERNAL_SERVER_ERROR");
    });
    expect(await db().membership.count({ where: { projectId: project.id, userId: invitee.userId } })).toBe(0);
    // The link was not used up.
    expect(await callerFor(null).invites.preview({ token })).not.toBeNull();
  });

  it("creates no project, and keeps none of its events, when its second audit write fails", async () => {
    const admin = await createTestUser({ isAdmin: true });
    const slug = `unaudited-${uniqueSuffix()}`;
    // The project id is not known in advance. Refuse by the admin's id, which only the second event
    // (the first owner's member.add) names: the first one (project.create) is written, then rolled back.
    await withFailingAuditWrites(admin.userId, async () => {
      expect((await trpcErrorOf(callerFor(admin).projects.create({ slug, name: "Unaudited" }))).code).toBe(
        "INTERNAL_SERVER_ERROR",
      );
    });
    expect(await db().project.findUnique({ where: { slug } })).toBeNull();
    expect(await db().auditEvent.count({ where: { actorId: admin.userId } })).toBe(0);
  });

  it("keeps neither the account nor its event when sign-up's invite acceptance cannot be audited", async () => {
    const { project, slug, caller } = await ownedProject();
    const { token } = await caller.invites.create({ projectSlug: slug, role: "MEMBER", expiresInDays: 1 });
    const email = `unaudited-${uniqueSuffix()}@example.test`;
    // user.create (no project) is written first; invite.accept (this project) is refused after it.
    await withFailingAuditWrites(project.id, async () => {
      await expect(
        signUp({ signup: "invite", adminEmails: [], setupToken: null }, { email, password: "a-long-enough-password", inviteToken: token }),
      ).rejects.toThrow(/test trigger/);
    });
    expect(await db().user.count({ where: { email } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "user.create", actorLabel: email } })).toBe(0);
    expect(await callerFor(null).invites.preview({ token })).not.toBeNull();
  });
});
