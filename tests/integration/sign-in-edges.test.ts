import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { authOptions } from "@/server/auth/options";
import { createUser, verifyEmail } from "@/server/services/users";
import { callerFor, createTestProject, createTestUser, systemActor, trpcErrorOf, uniqueSuffix } from "../factories";

/**
 * Signing in through next-auth's own options, as the web app does: the OIDC callback with the
 * provider's claims, and the password form with the request's headers. This file's configuration
 * (open sign-up, one configured admin email) is set before anything reads it.
 */
const [CONFIGURED_ADMIN, LISTED_SSO, LISTED_UNVERIFIED] = ["typed", "sso", "unverified"].map(
  (label) => `configured-admin-${label}-${uniqueSuffix()}@example.test`,
) as [string, string, string];
process.env.TALLY_SIGNUP = "open";
const TRUSTED_PROXY = "192.0.2.250";
process.env.TALLY_TRUSTED_PROXIES = TRUSTED_PROXY;
process.env.TALLY_ADMIN_EMAILS = [CONFIGURED_ADMIN, LISTED_SSO, LISTED_UNVERIFIED].join(",");

const PASSWORD = "a-long-enough-password";
const newEmail = (label = "user") => `${label}-${uniqueSuffix()}@example.test`;

type SignInCallback = NonNullable<ReturnType<typeof authOptions>["callbacks"]>["signIn"];
type SignInArgs = Parameters<NonNullable<SignInCallback>>[0];

/** What next-auth calls after the identity provider answered; returns true or the redirect. */
async function ssoSignIn(email: string, claims: Record<string, unknown>) {
  const user = { id: `provider-subject-${uniqueSuffix()}`, email, name: "From SSO" };
  const result = await authOptions().callbacks!.signIn!({
    user,
    account: { provider: "oidc", type: "oauth", providerAccountId: user.id },
    profile: { sub: user.id, email, ...claims },
  } as unknown as SignInArgs);
  return { result, signedInAs: user.id };
}

/** The password form's authorize step, with the headers the request arrived with. */
async function passwordSignIn(email: string, password: string, headers: Record<string, string>) {
  const provider = authOptions().providers.find((candidate) => candidate.id === "credentials") as unknown as {
    options: { authorize: (credentials: unknown, request: unknown) => Promise<{ id: string } | null> };
  };
  try {
    return { user: await provider.options.authorize({ email, password }, { headers, method: "POST", body: {}, query: {} }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const address = () => `198.51.100.${randomBytes(1)[0]}`;
const documentationAddress = () => `2001:db8::${randomBytes(2).toString("hex")}`;

beforeAll(async () => {
  // The first account of the shared database is special; these tests are about later ones.
  await createTestUser();
});

describe("single sign-on and accounts created with a typed-in email", () => {
  it("refuses to hand an existing password account to SSO when that account's email was never verified", async () => {
    const victim = newEmail("victim");
    // An attacker registers the victim's address first (open sign-up accepts any address).
    const attacker = await callerFor(null).account.signUp({ email: victim, password: PASSWORD });
    const { result, signedInAs } = await ssoSignIn(victim, { email_verified: true });
    expect(result).toBe("/signin?error=SsoAccountUnverified");
    expect(signedInAs).not.toBe(attacker.id);
    const events = await db().auditEvent.findMany({ where: { action: "auth.sign_in_failed", resourceId: attacker.id } });
    expect(events.map((event) => event.after)).toEqual([
      expect.objectContaining({ email: victim, method: "oidc", reason: "account-unverified" }),
    ]);
  });

  it("signs in to an account whose email an administrator vouched for", async () => {
    const email = newEmail("vouched");
    const created = await createUser(systemActor, { email, password: PASSWORD });
    const { result, signedInAs } = await ssoSignIn(email, { email_verified: true });
    expect(result).toBe(true);
    expect(signedInAs).toBe(created.id);
  });

  it("enters a typed-in account once an administrator verified its email, and only an administrator may", async () => {
    const email = newEmail("checked");
    const account = await callerFor(null).account.signUp({ email, password: PASSWORD });
    const someone = await createTestUser();
    await expect(verifyEmail(someone, email)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await ssoSignIn(email, { email_verified: true })).result).toBe("/signin?error=SsoAccountUnverified");
    await verifyEmail(systemActor, email);
    expect(await db().user.findUniqueOrThrow({ where: { email } })).toMatchObject({ emailVerifiedBy: "admin" });
    expect((await ssoSignIn(email, { email_verified: true })).signedInAs).toBe(account.id);
    expect(await db().auditEvent.count({ where: { action: "user.verify_email", resourceId: account.id } })).toBe(1);
  });

  it.each([
    ["missing", {}],
    ["false", { email_verified: false }],
    ["the string 'true'", { email_verified: "true" }],
  ])("creates no account when email_verified is %s", async (_label, claims) => {
    const email = newEmail("unverified");
    const { result } = await ssoSignIn(email, claims);
    expect(result).toBe("/signin?error=SsoEmailUnverified");
    expect(await db().user.count({ where: { email } })).toBe(0);
  });

  it("creates an account with a verified email when the provider vouches for it, and records how", async () => {
    const email = newEmail("sso");
    const { result, signedInAs } = await ssoSignIn(email, { email_verified: true });
    expect(result).toBe(true);
    const row = await db().user.findUniqueOrThrow({ where: { email } });
    expect(row).toMatchObject({ id: signedInAs, isAdmin: false, passwordHash: null, emailVerifiedBy: "oidc" });
    expect(row.emailVerifiedAt).toBeInstanceOf(Date);
  });
});

describe("TALLY_ADMIN_EMAILS", () => {
  it("grants nothing to someone who types a listed email into the sign-up form", async () => {
    const user = await callerFor(null).account.signUp({ email: CONFIGURED_ADMIN, password: PASSWORD });
    expect(user.isAdmin).toBe(false);
    // Nor when that account later signs in with its password.
    const signedIn = await passwordSignIn(CONFIGURED_ADMIN, PASSWORD, {});
    expect(signedIn.user?.id).toBe(user.id);
    expect((await db().user.findUniqueOrThrow({ where: { email: CONFIGURED_ADMIN } })).isAdmin).toBe(false);
    // And SSO refuses the typed-in account rather than promoting it.
    expect((await ssoSignIn(CONFIGURED_ADMIN, { email_verified: true })).result).toBe("/signin?error=SsoAccountUnverified");
    expect((await db().user.findUniqueOrThrow({ where: { email: CONFIGURED_ADMIN } })).isAdmin).toBe(false);
  });

  it("makes a listed email an admin when it signs in through SSO with a verified email", async () => {
    const { result } = await ssoSignIn(LISTED_SSO, { email_verified: true });
    expect(result).toBe(true);
    expect((await db().user.findUniqueOrThrow({ where: { email: LISTED_SSO } })).isAdmin).toBe(true);
    // Without the provider's word, a listed email gets nothing.
    expect((await ssoSignIn(LISTED_UNVERIFIED, {})).result).toBe("/signin?error=SsoEmailUnverified");
    expect(await db().user.count({ where: { email: LISTED_UNVERIFIED } })).toBe(0);
  });
});

describe("invites bound to an email", () => {
  it("can only be used by that email, at sign-up and when accepted by a signed-in account", async () => {
    const { project, owner } = await createTestProject();
    const invited = newEmail("invited");
    const { token } = await callerFor(owner).invites.create({
      projectSlug: project.slug,
      role: "MEMBER",
      expiresInDays: 1,
      email: invited,
    });
    const stranger = newEmail("stranger");
    const refused = await trpcErrorOf(callerFor(null).account.signUp({ email: stranger, password: PASSWORD, inviteToken: token }));
    expect(refused).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/different email/) });
    expect(await db().user.count({ where: { email: stranger } })).toBe(0);

    const other = await createTestUser();
    expect((await trpcErrorOf(callerFor(other).invites.accept({ token }))).code).toBe("FORBIDDEN");
    expect(await db().membership.count({ where: { projectId: project.id, userId: other.userId } })).toBe(0);

    // The right person signs up with it: member of the project, email verified by the invite.
    const user = await callerFor(null).account.signUp({ email: invited, password: PASSWORD, inviteToken: token });
    expect(await db().membership.findFirst({ where: { projectId: project.id, userId: user.id } })).toMatchObject({ role: "MEMBER" });
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ emailVerifiedBy: "invite" });
    expect((await ssoSignIn(invited, { email_verified: true })).signedInAs).toBe(user.id);
  });

  it("tells the owner who adds a member by email whether that account's email is verified", async () => {
    const { project, owner } = await createTestProject();
    const typed = await callerFor(null).account.signUp({ email: newEmail("typed"), password: PASSWORD });
    const vouched = await ssoSignIn(newEmail("vouched"), { email_verified: true });
    const vouchedEmail = (await db().user.findUniqueOrThrow({ where: { id: vouched.signedInAs } })).email;
    const members = callerFor(owner).members;
    expect(await members.add({ projectSlug: project.slug, email: typed.email, role: "VIEWER" })).toMatchObject({
      emailVerified: false,
    });
    expect(await members.add({ projectSlug: project.slug, email: vouchedEmail, role: "VIEWER" })).toMatchObject({
      emailVerified: true,
    });
    const listed = await members.list({ projectSlug: project.slug });
    expect(Object.fromEntries(listed.map((member) => [member.email, member.emailVerified]))).toEqual({
      [owner.email]: false,
      [typed.email]: false,
      [vouchedEmail]: true,
    });
  });
});

describe("the sign-in throttle and client addresses", () => {
  it("counts failures per real peer address: rotating X-Forwarded-For gains a guesser nothing", async () => {
    const peer = address();
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await passwordSignIn(newEmail("guess"), "wrong-password", {
        "x-tally-peer-address": peer,
        "x-forwarded-for": address(),
      });
      expect(result.user).toBeNull();
    }
    const next = await passwordSignIn(newEmail("guess"), "wrong-password", {
      "x-tally-peer-address": peer,
      "x-forwarded-for": address(),
    });
    expect(next.error).toMatch(/Too many failed sign-in attempts/);
  });

  it("does not let anyone lock out another address by naming it in X-Forwarded-For behind a trusted proxy", async () => {
    // Behind the reverse proxy, the attacker's own X-Forwarded-For names the victim's address; the
    // proxy appends the attacker's real one, and only that hop is believed.
    const victimAddress = address();
    const email = newEmail("victim");
    await callerFor(null).account.signUp({ email, password: PASSWORD });
    for (let attempt = 0; attempt < 6; attempt++) {
      await passwordSignIn(newEmail("guess"), "wrong-password", {
        "x-tally-peer-address": TRUSTED_PROXY,
        "x-forwarded-for": `${victimAddress}, ${address()}`,
      });
    }
    const victim = await passwordSignIn(email, PASSWORD, { "x-tally-peer-address": TRUSTED_PROXY, "x-forwarded-for": victimAddress });
    expect(victim.user).toBeTruthy();
  });

  it("lets the owner in from a clean address while someone keeps failing on their account", async () => {
    const email = newEmail("target");
    const account = await callerFor(null).account.signUp({ email, password: PASSWORD });
    const attacker = documentationAddress();
    for (let attempt = 0; attempt < 8; attempt++) {
      await passwordSignIn(email, "wrong-password", { "x-tally-peer-address": attacker });
    }
    expect((await passwordSignIn(email, PASSWORD, { "x-tally-peer-address": attacker })).error).toMatch(/Too many/);
    expect((await passwordSignIn(email, PASSWORD, { "x-tally-peer-address": address() })).user?.id).toBe(account.id);
  });

  it("writes failed sign-ins to the audit log with the address and without the password", async () => {
    const email = newEmail("audited");
    const peer = address();
    await passwordSignIn(email, "secret-guess-123", { "x-tally-peer-address": peer });
    const events = await db().auditEvent.findMany({ where: { action: "auth.sign_in_failed", actorLabel: `anonymous (${peer})` } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ projectId: null, actorType: "ANONYMOUS" });
    expect(events[0]!.after).toMatchObject({ email, method: "password", reason: "wrong-credentials", address: peer });
    expect(JSON.stringify({ ...events[0], id: String(events[0]!.id) })).not.toContain("secret-guess-123");
  });
});
