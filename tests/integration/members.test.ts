import { describe, expect, it } from "vitest";
import type { Role } from "@/lib/rbac";
import { db } from "@/server/db/client";
import { signUp } from "@/server/services/users";
import { addTestMember, callerFor, createTestProject, createTestUser, trpcErrorOf, uniqueSuffix } from "../factories";

/** Members, roles and invite links, as a project owner manages them in the web app. */

async function roleOf(projectId: string, userId: string): Promise<Role | null> {
  const membership = await db().membership.findUnique({
    where: { projectId_userId: { projectId, userId } },
    select: { role: true },
  });
  return membership?.role ?? null;
}

async function ownedProject() {
  const { project, owner } = await createTestProject();
  return { project, owner, slug: project.slug, caller: callerFor(owner) };
}

describe("adding members", () => {
  it("adds an existing account by email with the chosen role", async () => {
    const { project, slug, caller } = await ownedProject();
    const person = await createTestUser();
    const added = await caller.members.add({ projectSlug: slug, email: person.email, role: "MAINTAINER" });
    expect(added).toMatchObject({ userId: person.userId, email: person.email, role: "MAINTAINER" });
    expect(await roleOf(project.id, person.userId)).toBe("MAINTAINER");
    const listed = await caller.members.list({ projectSlug: slug });
    expect(listed).toContainEqual(expect.objectContaining({ userId: person.userId, role: "MAINTAINER" }));
    // The new member now sees the project, with that role.
    const seen = await callerFor(person).projects.get({ projectSlug: slug });
    expect(seen).toMatchObject({ id: project.id, role: "MAINTAINER", memberRole: "MAINTAINER" });
  });

  it("finds the account whatever the case of the email typed", async () => {
    const { project, slug, caller } = await ownedProject();
    const person = await createTestUser();
    await caller.members.add({ projectSlug: slug, email: person.email.toUpperCase(), role: "VIEWER" });
    expect(await roleOf(project.id, person.userId)).toBe("VIEWER");
  });

  it("refuses an unknown email with NOT_FOUND and suggests an invite", async () => {
    const { project, slug, caller } = await ownedProject();
    const refused = await trpcErrorOf(
      caller.members.add({ projectSlug: slug, email: `nobody-${uniqueSuffix()}@example.test`, role: "MEMBER" }),
    );
    expect(refused.code).toBe("NOT_FOUND");
    expect(refused.message).toMatch(/invite/i);
    expect(await db().membership.count({ where: { projectId: project.id } })).toBe(1);
  });

  it("refuses to add someone twice (CONFLICT) and keeps their role", async () => {
    const { project, slug, caller } = await ownedProject();
    const person = await addTestMember(project.id, "VIEWER");
    const refused = await trpcErrorOf(caller.members.add({ projectSlug: slug, email: person.email, role: "OWNER" }));
    expect(refused.code).toBe("CONFLICT");
    expect(await roleOf(project.id, person.userId)).toBe("VIEWER");
  });

  it("is for owners only", async () => {
    const { project, slug } = await ownedProject();
    const maintainer = await addTestMember(project.id, "MAINTAINER");
    const person = await createTestUser();
    const refused = await trpcErrorOf(
      callerFor(maintainer).members.add({ projectSlug: slug, email: person.email, role: "VIEWER" }),
    );
    expect(refused.code).toBe("FORBIDDEN");
    expect(await roleOf(project.id, person.userId)).toBeNull();
  });
});

describe("roles and the last owner", () => {
  it("changes a member's role, and the new role takes effect at once", async () => {
    const { project, slug, caller } = await ownedProject();
    const person = await addTestMember(project.id, "VIEWER");
    expect((await trpcErrorOf(callerFor(person).tokens.list({ projectSlug: slug }))).code).toBe("FORBIDDEN");
    await caller.members.changeRole({ projectSlug: slug, userId: person.userId, role: "MAINTAINER" });
    expect(await roleOf(project.id, person.userId)).toBe("MAINTAINER");
    await expect(callerFor(person).tokens.list({ projectSlug: slug })).resolves.toEqual([]);
  });

  it("cannot demote the only owner", async () => {
    const { project, owner, slug, caller } = await ownedProject();
    const refused = await trpcErrorOf(caller.members.changeRole({ projectSlug: slug, userId: owner.userId, role: "MAINTAINER" }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/last owner/);
    expect(await roleOf(project.id, owner.userId)).toBe("OWNER");
  });

  it("cannot remove the only owner, nor can the only owner leave", async () => {
    const { project, owner, slug, caller } = await ownedProject();
    const refused = await trpcErrorOf(caller.members.remove({ projectSlug: slug, userId: owner.userId }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/last owner/);
    expect(await roleOf(project.id, owner.userId)).toBe("OWNER");
  });

  it("can demote or remove an owner once there is a second one", async () => {
    const { project, owner, slug, caller } = await ownedProject();
    const second = await addTestMember(project.id, "MEMBER");
    await caller.members.changeRole({ projectSlug: slug, userId: second.userId, role: "OWNER" });
    // The second owner demotes the first...
    await callerFor(second).members.changeRole({ projectSlug: slug, userId: owner.userId, role: "MAINTAINER" });
    expect(await roleOf(project.id, owner.userId)).toBe("MAINTAINER");
    // ...who, no longer an owner, cannot undo it.
    const refused = await trpcErrorOf(caller.members.changeRole({ projectSlug: slug, userId: owner.userId, role: "OWNER" }));
    expect(refused.code).toBe("FORBIDDEN");
    // And the second owner, now the only one, still cannot leave; after re-promoting the first, they can.
    expect((await trpcErrorOf(callerFor(second).members.remove({ projectSlug: slug, userId: second.userId }))).code).toBe(
      "FORBIDDEN",
    );
    await callerFor(second).members.changeRole({ projectSlug: slug, userId: owner.userId, role: "OWNER" });
    await callerFor(second).members.remove({ projectSlug: slug, userId: second.userId });
    expect(await roleOf(project.id, second.userId)).toBeNull();
    expect(await roleOf(project.id, owner.userId)).toBe("OWNER");
  });

  it("lets any member leave on their own, after which the project is gone for them", async () => {
    const { project, slug } = await ownedProject();
    const viewer = await addTestMember(project.id, "VIEWER");
    const asViewer = callerFor(viewer);
    await asViewer.members.remove({ projectSlug: slug, userId: viewer.userId });
    expect(await roleOf(project.id, viewer.userId)).toBeNull();
    expect((await trpcErrorOf(asViewer.projects.get({ projectSlug: slug }))).code).toBe("NOT_FOUND");
  });

  it("does not let a non-owner remove someone else", async () => {
    const { project, slug } = await ownedProject();
    const maintainer = await addTestMember(project.id, "MAINTAINER");
    const other = await addTestMember(project.id, "MEMBER");
    const refused = await trpcErrorOf(callerFor(maintainer).members.remove({ projectSlug: slug, userId: other.userId }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(await roleOf(project.id, other.userId)).toBe("MEMBER");
  });

  it("says NOT_FOUND for someone who is not a member", async () => {
    const { slug, caller } = await ownedProject();
    const stranger = await createTestUser();
    expect((await trpcErrorOf(caller.members.changeRole({ projectSlug: slug, userId: stranger.userId, role: "VIEWER" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await trpcErrorOf(caller.members.remove({ projectSlug: slug, userId: stranger.userId }))).code).toBe("NOT_FOUND");
  });
});

describe("invite links", () => {
  it("invites someone: create, preview, accept, and they join with the invite's role", async () => {
    const { project, slug, caller } = await ownedProject();
    const { invite, token } = await caller.invites.create({ projectSlug: slug, role: "MAINTAINER", expiresInDays: 7 });
    expect(await caller.invites.list({ projectSlug: slug })).toEqual([invite]);

    // Anyone with the link, signed in or not, sees what it offers.
    const preview = await callerFor(null).invites.preview({ token });
    expect(preview).toEqual({
      projectName: project.name,
      projectSlug: slug,
      role: "MAINTAINER",
      email: null,
      expiresAt: invite.expiresAt,
    });

    const invitee = await createTestUser();
    expect(await callerFor(invitee).invites.accept({ token })).toEqual({ projectSlug: slug });
    expect(await roleOf(project.id, invitee.userId)).toBe("MAINTAINER");
    expect(await callerFor(invitee).projects.get({ projectSlug: slug })).toMatchObject({ role: "MAINTAINER" });
    // A used invite is no longer pending.
    expect(await caller.invites.list({ projectSlug: slug })).toEqual([]);
  });

  it("stores only a hash of the link's secret", async () => {
    const { project, slug, caller } = await ownedProject();
    const { token } = await caller.invites.create({ projectSlug: slug, role: "VIEWER", expiresInDays: 1 });
    const rows = await db().invite.findMany({ where: { projectId: project.id } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("refuses a link that was already used", async () => {
    const { project, slug, caller } = await ownedProject();
    const { token } = await caller.invites.create({ projectSlug: slug, role: "MEMBER", expiresInDays: 7 });
    const first = await createTestUser();
    const second = await createTestUser();
    await callerFor(first).invites.accept({ token });
    const refused = await trpcErrorOf(callerFor(second).invites.accept({ token }));
    expect(refused.code).toBe("NOT_FOUND");
    expect(await roleOf(project.id, second.userId)).toBeNull();
    expect(await callerFor(null).invites.preview({ token })).toBeNull();
  });

  it("refuses a revoked link", async () => {
    const { project, slug, caller } = await ownedProject();
    const { invite, token } = await caller.invites.create({ projectSlug: slug, role: "OWNER", expiresInDays: 7 });
    await caller.invites.revoke({ projectSlug: slug, inviteId: invite.id });
    expect(await caller.invites.list({ projectSlug: slug })).toEqual([]);
    const invitee = await createTestUser();
    expect((await trpcErrorOf(callerFor(invitee).invites.accept({ token }))).code).toBe("NOT_FOUND");
    expect(await roleOf(project.id, invitee.userId)).toBeNull();
    expect(await callerFor(null).invites.preview({ token })).toBeNull();
    // Revoking twice says so.
    expect((await trpcErrorOf(caller.invites.revoke({ projectSlug: slug, inviteId: invite.id }))).code).toBe("NOT_FOUND");
  });

  it("refuses an expired link", async () => {
    const { project, slug, caller } = await ownedProject();
    const { invite, token } = await caller.invites.create({ projectSlug: slug, role: "MEMBER", expiresInDays: 1 });
    await db().invite.update({ where: { id: invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await callerFor(null).invites.preview({ token })).toBeNull();
    const invitee = await createTestUser();
    expect((await trpcErrorOf(callerFor(invitee).invites.accept({ token }))).code).toBe("NOT_FOUND");
    expect(await roleOf(project.id, invitee.userId)).toBeNull();
    expect(await caller.invites.list({ projectSlug: slug })).toEqual([]);
  });

  it("refuses a made-up link", async () => {
    const invitee = await createTestUser();
    expect((await trpcErrorOf(callerFor(invitee).invites.accept({ token: `made-up-${uniqueSuffix()}` }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("refuses a link to a project one already belongs to, and leaves the role alone", async () => {
    const { project, slug, caller } = await ownedProject();
    const member = await addTestMember(project.id, "VIEWER");
    const { token } = await caller.invites.create({ projectSlug: slug, role: "OWNER", expiresInDays: 7 });
    expect((await trpcErrorOf(callerFor(member).invites.accept({ token }))).code).toBe("CONFLICT");
    expect(await roleOf(project.id, member.userId)).toBe("VIEWER");
    // The link was not used up by the refused attempt.
    expect(await callerFor(null).invites.preview({ token })).not.toBeNull();
  });

  it("signs up a new account with an invite in invite-only mode and joins the project", async () => {
    await createTestUser(); // not the first account of the instance, whatever ran before
    const { project, slug, caller } = await ownedProject();
    const { token } = await caller.invites.create({ projectSlug: slug, role: "MEMBER", expiresInDays: 7 });
    const policy = { signup: "invite" as const, adminEmails: [], setupToken: null };
    const email = `invited-${uniqueSuffix()}@example.test`;

    // Without the link, invite-only sign-up is refused.
    await expect(signUp(policy, { email, password: "a-long-enough-password" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db().user.count({ where: { email } })).toBe(0);

    const user = await signUp(policy, { email, password: "a-long-enough-password", inviteToken: token });
    expect(user).toMatchObject({ email, isAdmin: false });
    expect(await roleOf(project.id, user.id)).toBe("MEMBER");
    expect(await callerFor(null).invites.preview({ token })).toBeNull();
  });

  it("signs up through the web app's tRPC endpoint with an invite (the default invite-only mode)", async () => {
    await createTestUser();
    const { project, slug, caller } = await ownedProject();
    const { token } = await caller.invites.create({ projectSlug: slug, role: "VIEWER", expiresInDays: 7 });
    const email = `web-invited-${uniqueSuffix()}@example.test`;
    const created = await callerFor(null).account.signUp({ email, password: "a-long-enough-password", inviteToken: token });
    expect(created).toMatchObject({ email, isAdmin: false });
    expect(await roleOf(project.id, created.id)).toBe("VIEWER");
  });

  it("creates no account when the invite in a sign-up is not usable", async () => {
    await createTestUser();
    const { slug, caller } = await ownedProject();
    const { invite, token } = await caller.invites.create({ projectSlug: slug, role: "MEMBER", expiresInDays: 7 });
    await caller.invites.revoke({ projectSlug: slug, inviteId: invite.id });
    const email = `late-${uniqueSuffix()}@example.test`;
    await expect(
      signUp({ signup: "invite", adminEmails: [], setupToken: null }, { email, password: "a-long-enough-password", inviteToken: token }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await db().user.count({ where: { email } })).toBe(0);
  });

  it("is managed by owners only", async () => {
    const { project, slug } = await ownedProject();
    const maintainer = await addTestMember(project.id, "MAINTAINER");
    expect((await trpcErrorOf(callerFor(maintainer).invites.create({ projectSlug: slug, role: "VIEWER", expiresInDays: 1 }))).code).toBe(
      "FORBIDDEN",
    );
    expect(await db().invite.count({ where: { projectId: project.id } })).toBe(0);
  });
});
