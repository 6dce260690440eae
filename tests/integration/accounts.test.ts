import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { credentialsInput, signUpInput } from "@/lib/schemas/accounts";
import { db } from "@/server/db/client";
import { createUser, signInWithSso, signUp, verifyCredentials, type AccountPolicy } from "@/server/services/users";
import { hashPassword } from "@/server/services/users/password";
import { callerFor, createTestProject, createTestUser, systemActor, trpcErrorOf, uniqueSuffix } from "../factories";
import { withEmptyDatabase } from "../support/databases";

/** Accounts: who may sign up, who becomes an instance admin, and signing in. */

const PASSWORD = "a-long-enough-password";
const policy = (signup: AccountPolicy["signup"], adminEmails: string[] = []): AccountPolicy => ({
  signup,
  adminEmails,
  setupToken: null,
});
/** Single sign-on with the provider vouching for the email; the account, or null when refused. */
const ssoUser = async (accountPolicy: AccountPolicy, profile: { email: string; name?: string }) => {
  const result = await signInWithSso(accountPolicy, { ...profile, emailVerified: true });
  return result.ok ? result.user : null;
};
const newEmail = (label = "user") => `${label}-${uniqueSuffix()}@example.test`;
const newIp = () => `192.0.2.${randomBytes(1)[0]}-${uniqueSuffix()}`;
const userCount = (email: string) => db().user.count({ where: { email } });

/** Hashing is deliberately slow, so accounts that merely need a password share one precomputed hash. */
let passwordHash: Promise<string> | undefined;
async function accountWithPassword(email = newEmail()) {
  passwordHash ??= hashPassword(PASSWORD);
  return db().user.create({
    data: { email, passwordHash: await passwordHash },
    select: { id: true, email: true, name: true, isAdmin: true },
  });
}

/**
 * The shared database may be empty when this file happens to run first; the first account is special,
 * so tests about the other rules make sure one exists.
 */
const notFirstAccount = () => createTestUser();

describe("the first account", () => {
  it("becomes the instance admin even when sign-up is closed; later ones follow TALLY_SIGNUP", async () => {
    await withEmptyDatabase(async () => {
      const anonymous = callerFor(null);
      expect((await anonymous.account.status()).setupNeeded).toBe(true);

      const first = await signUp(policy("closed"), { email: newEmail("first"), password: PASSWORD });
      expect(first.isAdmin).toBe(true);
      expect((await anonymous.account.status()).setupNeeded).toBe(false);

      await expect(signUp(policy("closed"), { email: newEmail(), password: PASSWORD })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      const second = await signUp(policy("open"), { email: newEmail("second"), password: PASSWORD });
      expect(second.isAdmin).toBe(false);
      expect(await db().user.count()).toBe(2);
    });
  });

  it("is only one, even when two people sign up at the same moment", async () => {
    await withEmptyDatabase(async () => {
      const [a, b] = await Promise.all([
        signUp(policy("open"), { email: newEmail("racer"), password: PASSWORD }),
        signUp(policy("open"), { email: newEmail("racer"), password: PASSWORD }),
      ]);
      expect([a.isAdmin, b.isAdmin].sort()).toEqual([false, true]);
      expect(await db().user.count({ where: { isAdmin: true } })).toBe(1);
    });
  });

  it("becomes the instance admin when it arrives through single sign-on", async () => {
    await withEmptyDatabase(async () => {
      const first = await ssoUser(policy("closed"), { email: newEmail("sso-first"), name: "First" });
      expect(first).toMatchObject({ isAdmin: true, name: "First" });
      expect(await ssoUser(policy("closed"), { email: newEmail("sso-second") })).toBeNull();
    });
  });
});

describe("sign-up policy (TALLY_SIGNUP)", () => {
  it("invite: refuses sign-up without an invite and creates nothing", async () => {
    await notFirstAccount();
    const email = newEmail();
    const refusal = signUp(policy("invite"), { email, password: PASSWORD });
    await expect(refusal).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/invite/) });
    expect(await userCount(email)).toBe(0);
  });

  it("invite: refuses a made-up invite token and creates nothing", async () => {
    await notFirstAccount();
    const email = newEmail();
    await expect(
      signUp(policy("invite"), { email, password: PASSWORD, inviteToken: `made-up-${uniqueSuffix()}` }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await userCount(email)).toBe(0);
  });

  it("open: anyone may sign up, as an ordinary account that can then sign in", async () => {
    await notFirstAccount();
    const email = newEmail();
    const user = await signUp(policy("open"), { email, password: PASSWORD, name: "Ada" });
    expect(user).toEqual({ id: expect.any(String), email, name: "Ada", isAdmin: false });
    expect(await verifyCredentials(email, PASSWORD)).toEqual(user);
    // The password is stored hashed.
    const row = await db().user.findUniqueOrThrow({ where: { email } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
  });

  it("closed: refuses everyone, even with an invite", async () => {
    await notFirstAccount();
    const { project, owner } = await createTestProject();
    const { token } = await callerFor(owner).invites.create({ projectSlug: project.slug, role: "MEMBER", expiresInDays: 1 });
    const email = newEmail();
    await expect(signUp(policy("closed"), { email, password: PASSWORD })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(signUp(policy("closed"), { email, password: PASSWORD, inviteToken: token })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await userCount(email)).toBe(0);
  });

  it("refuses a second account for the same email (CONFLICT)", async () => {
    await notFirstAccount();
    const { email } = await accountWithPassword();
    await expect(signUp(policy("open"), { email, password: "another-long-password" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await userCount(email)).toBe(1);
    expect(await verifyCredentials(email, PASSWORD)).not.toBeNull();
  });

  it("writes an audit event for the new account", async () => {
    await notFirstAccount();
    const user = await signUp(policy("open"), { email: newEmail(), password: PASSWORD });
    const events = await db().auditEvent.findMany({ where: { action: "user.create", resourceId: user.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "USER", actorId: user.id, projectId: null });
    expect(JSON.stringify(events[0]!.after)).not.toContain(PASSWORD);
  });
});

describe("TALLY_ADMIN_EMAILS", () => {
  it("grants nothing at sign-up: a listed email typed into the form is an ordinary account, and closed stays closed", async () => {
    await notFirstAccount();
    const email = newEmail("boss");
    const env = parseEnv({ TALLY_SIGNUP: "closed", TALLY_ADMIN_EMAILS: `someone@example.test, ${email.toUpperCase()}` });
    const closed: AccountPolicy = { signup: env.TALLY_SIGNUP, adminEmails: env.TALLY_ADMIN_EMAILS, setupToken: null };
    const input = signUpInput.parse({ email: email.replace("boss", "BOSS"), password: PASSWORD });
    await expect(signUp(closed, input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await userCount(email)).toBe(0);
    const user = await signUp({ ...closed, signup: "open" }, input);
    expect(user).toMatchObject({ email, isAdmin: false });
  });

  it("does not promote a listed account when it signs in with its password", async () => {
    await notFirstAccount();
    const { email } = await accountWithPassword();
    const signedIn = await verifyCredentials(email, PASSWORD);
    expect(signedIn?.isAdmin).toBe(false);
    expect((await db().user.findUniqueOrThrow({ where: { email } })).isAdmin).toBe(false);
  });
});

describe("the setup token", () => {
  const guarded = (token: string): AccountPolicy => ({ ...policy("closed"), setupToken: token });

  it("is required for the first account when configured: a missing or wrong token creates nothing", async () => {
    await withEmptyDatabase(async () => {
      const token = randomBytes(16).toString("hex");
      for (const setupToken of [undefined, "", `${token}x`, token.slice(1)]) {
        await expect(signUp(guarded(token), { email: newEmail("early"), password: PASSWORD, setupToken })).rejects.toMatchObject({
          code: "FORBIDDEN",
          message: expect.stringMatching(/setup token/),
        });
      }
      expect(await db().user.count()).toBe(0);
      const admin = await signUp(guarded(token), { email: newEmail("admin"), password: PASSWORD, setupToken: token });
      expect(admin.isAdmin).toBe(true);
    });
  });

  it("is told to the setup page, and only while no account exists", async () => {
    await withEmptyDatabase(async () => {
      // Integration tests run outside production mode with no TALLY_SETUP_TOKEN: no token asked.
      expect(await callerFor(null).account.status()).toMatchObject({ setupNeeded: true, setupTokenRequired: false });
    });
  });
});

describe("signing in with a password", () => {
  it("returns the account for the right password, and never its hash", async () => {
    await notFirstAccount();
    const created = await accountWithPassword();
    const signedIn = await verifyCredentials(created.email, PASSWORD, newIp());
    expect(signedIn).toEqual(created);
    expect(Object.keys(signedIn!).sort()).toEqual(["email", "id", "isAdmin", "name"]);
  });

  it("returns null for a wrong password, an unknown email, and an SSO-only account", async () => {
    await notFirstAccount();
    const { email } = await accountWithPassword();
    expect(await verifyCredentials(email, "not-the-password")).toBeNull();
    expect(await verifyCredentials(newEmail(), PASSWORD)).toBeNull();
    const ssoOnly = await ssoUser(policy("open"), { email: newEmail("sso") });
    expect(ssoOnly).not.toBeNull();
    expect(await verifyCredentials(ssoOnly!.email, "")).toBeNull();
    expect(await verifyCredentials(ssoOnly!.email, PASSWORD)).toBeNull();
  });

  it("treats the email case-insensitively: stored lower-cased, found whatever the case typed", async () => {
    await notFirstAccount();
    const { project, owner } = await createTestProject();
    const invites = callerFor(owner).invites;
    const first = await invites.create({ projectSlug: project.slug, role: "MEMBER", expiresInDays: 1 });
    const second = await invites.create({ projectSlug: project.slug, role: "MEMBER", expiresInDays: 1 });
    const mixed = `Mixed.Case-${uniqueSuffix()}@Example.TEST`;
    const lower = mixed.toLowerCase();

    const created = await callerFor(null).account.signUp({ email: `  ${mixed} `, password: PASSWORD, inviteToken: first.token });
    expect(created.email).toBe(lower);
    expect(await db().user.count({ where: { email: { equals: lower, mode: "insensitive" } } })).toBe(1);

    // The same address in another case is the same account.
    const duplicate = await trpcErrorOf(
      callerFor(null).account.signUp({ email: mixed.toUpperCase(), password: PASSWORD, inviteToken: second.token }),
    );
    expect(duplicate.code).toBe("CONFLICT");

    const credentials = credentialsInput.parse({ email: mixed.toUpperCase(), password: PASSWORD });
    expect(await verifyCredentials(credentials.email, credentials.password)).toMatchObject({
      id: created.id,
    });
  });

  it("throttles repeated failures: after five, even the right password gets TOO_MANY_REQUESTS", async () => {
    await notFirstAccount();
    const { email } = await accountWithPassword();
    const ip = newIp();
    for (let i = 0; i < 5; i++) expect(await verifyCredentials(email, `wrong-${i}`, ip)).toBeNull();
    await expect(verifyCredentials(email, PASSWORD, ip)).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/Try again in \d+ s/),
    });
    // The owner, from an address that has not failed on the account, still signs in.
    expect(await verifyCredentials(email, PASSWORD, newIp())).not.toBeNull();
  });

  it("throttles an address that guesses across many accounts", async () => {
    await notFirstAccount();
    const { email } = await accountWithPassword();
    const ip = newIp();
    for (let i = 0; i < 5; i++) expect(await verifyCredentials(newEmail(), PASSWORD, ip)).toBeNull();
    await expect(verifyCredentials(email, PASSWORD, ip)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await verifyCredentials(email, PASSWORD, newIp())).not.toBeNull();
  });

  it("forgets an account's failures after a successful sign-in", async () => {
    await notFirstAccount();
    const { email } = await accountWithPassword();
    for (let i = 0; i < 4; i++) expect(await verifyCredentials(email, "wrong-password")).toBeNull();
    expect(await verifyCredentials(email, PASSWORD)).not.toBeNull();
    // Had the four failures been kept, this fifth one would lock the account.
    expect(await verifyCredentials(email, "wrong-password")).toBeNull();
    expect(await verifyCredentials(email, PASSWORD)).not.toBeNull();
  });
});

describe("single sign-on provisioning", () => {
  it("signs an existing account with a verified email in by its email, without creating another", async () => {
    await notFirstAccount();
    const existing = await createUser(systemActor, { email: newEmail(), password: PASSWORD });
    const found = await ssoUser(policy("closed"), { email: existing.email, name: "Someone Else" });
    expect(found).toEqual(existing);
    expect(await userCount(existing.email)).toBe(1);
  });

  it("refuses to enter an account whose email was only typed in, and creates nothing", async () => {
    await notFirstAccount();
    const { email } = await accountWithPassword();
    expect(await signInWithSso(policy("open"), { email, emailVerified: true })).toEqual({ ok: false, reason: "account-unverified" });
    expect(await userCount(email)).toBe(1);
  });

  it("creates a password-less, ordinary account when sign-up is open", async () => {
    await notFirstAccount();
    const email = newEmail();
    const user = await ssoUser(policy("open"), { email, name: "Lin" });
    expect(user).toEqual({ id: expect.any(String), email, name: "Lin", isAdmin: false });
    const row = await db().user.findUniqueOrThrow({ where: { email } });
    expect(row.passwordHash).toBeNull();
  });

  it.each(["invite", "closed"] as const)("creates nothing when sign-up is %s", async (mode) => {
    await notFirstAccount();
    const email = newEmail();
    expect(await ssoUser(policy(mode), { email })).toBeNull();
    expect(await userCount(email)).toBe(0);
  });

  it("creates a listed admin email as an admin even when sign-up is closed", async () => {
    await notFirstAccount();
    const email = newEmail("sso-admin");
    const user = await ssoUser(policy("closed", [email]), { email });
    expect(user).toMatchObject({ email, isAdmin: true });
  });

  it("promotes an existing verified account whose email is listed as admin, and audits it", async () => {
    await notFirstAccount();
    const { id, email } = await createUser(systemActor, { email: newEmail(), password: PASSWORD });
    const user = await ssoUser(policy("closed", [email]), { email });
    expect(user?.isAdmin).toBe(true);
    expect((await db().user.findUniqueOrThrow({ where: { email } })).isAdmin).toBe(true);
    expect(await db().auditEvent.count({ where: { action: "user.promote_admin", resourceId: id } })).toBe(1);
  });
});

describe("headless account creation", () => {
  it("lets the admin CLI and instance admins create accounts whatever TALLY_SIGNUP says", async () => {
    const admin = await createTestUser({ isAdmin: true });
    const byCli = await createUser(systemActor, { email: newEmail(), password: PASSWORD });
    const byAdmin = await createUser(admin, { email: newEmail(), password: PASSWORD, isAdmin: true });
    expect(byCli.isAdmin).toBe(false);
    expect(byAdmin.isAdmin).toBe(true);
  });

  it("refuses ordinary users", async () => {
    const user = await createTestUser();
    const email = newEmail();
    await expect(createUser(user, { email, password: PASSWORD })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await userCount(email)).toBe(0);
  });
});
