import { timingSafeEqual } from "node:crypto";
import type { SignupMode } from "@/lib/env";
import { badInput, conflict, forbidden, notFound, tooManyRequests } from "@/lib/errors";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import type { Actor, UserActor } from "../access";
import { recordAudit } from "../audit";
import { acceptInviteInTx, findUsableInvite, type UsableInvite } from "../members/internal";
import { decoyPasswordHash, hashPassword, verifyPassword } from "./password";
import { loginRetryAfterMs, recordLoginFailure, recordLoginSuccess } from "./login-throttle";
import { recordSignInFailure } from "./sign-in-audit";

export interface User {
  id: string;
  email: string;
  name: string | null;
  isAdmin: boolean;
}

const userSelect = { id: true, email: true, name: true, isAdmin: true } as const;

/** How an account's email was shown to belong to its owner (docs/security.md). */
export type EmailVerification = "oidc" | "admin" | "invite";

export interface AccountPolicy {
  signup: SignupMode;
  /**
   * Emails that become instance admins when they sign in with single sign-on and the identity
   * provider vouches for the email (TALLY_ADMIN_EMAILS). A typed-in email never grants anything.
   */
  adminEmails: readonly string[];
  /** What /setup must be given before the first account is created; null when not asked for. */
  setupToken: string | null;
}

export interface SignUpRequest {
  email: string;
  password: string;
  name?: string;
  inviteToken?: string;
  setupToken?: string;
}

/** True until the first account exists; the web app then offers to create the instance admin. */
export async function setupNeeded(): Promise<boolean> {
  return (await db().user.count()) === 0;
}

/** Serializes account creation so two concurrent first sign-ups can't both become the first admin. */
async function lockAccountCreation(tx: Tx): Promise<boolean> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(7301001)`;
  return (await tx.user.count()) === 0;
}

async function insertUser(
  tx: Tx,
  actor: Actor | null,
  fields: {
    email: string;
    name?: string | null;
    passwordHash: string | null;
    isAdmin: boolean;
    verifiedBy: EmailVerification | null;
  },
): Promise<User> {
  if (await tx.user.findUnique({ where: { email: fields.email }, select: { id: true } })) {
    throw conflict(`An account for ${fields.email} already exists`);
  }
  const user = await tx.user.create({
    data: {
      email: fields.email,
      name: fields.name || null,
      passwordHash: fields.passwordHash,
      isAdmin: fields.isAdmin,
      emailVerifiedAt: fields.verifiedBy ? new Date() : null,
      emailVerifiedBy: fields.verifiedBy,
    },
    select: userSelect,
  });
  const self: Actor = { type: "USER", userId: user.id, email: user.email, isAdmin: user.isAdmin };
  await recordAudit(tx, actor ?? self, {
    projectId: null,
    action: "user.create",
    resourceType: "user",
    resourceId: user.id,
    actorRole: actor?.type === "SYSTEM" ? "SYSTEM" : actor?.type === "USER" && actor.isAdmin ? "ADMIN" : null,
    after: { ...user, emailVerifiedBy: fields.verifiedBy },
  });
  return user;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? "");
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether this sign-up may go ahead, decided from what is in the database now. Runs once before the
 * (deliberately slow) password hash, so refused requests cost nothing, and again under the account
 * creation lock, where the answer is final.
 */
async function checkSignUp(
  tx: Tx,
  policy: AccountPolicy,
  input: SignUpRequest,
  first: boolean,
): Promise<UsableInvite | null> {
  if (first) {
    if (policy.setupToken && !sameSecret(input.setupToken, policy.setupToken)) {
      throw forbidden(
        "The setup token is missing or wrong. Tally printed it in its log when it started (or it is TALLY_SETUP_TOKEN).",
      );
    }
    return null;
  }
  if (policy.signup === "closed") throw forbidden("Sign-up is closed on this Tally; ask an administrator for an account");
  const invite = input.inviteToken ? await findUsableInvite(tx, input.inviteToken) : null;
  if (input.inviteToken && !invite) throw badInput("This invite link is invalid, expired or already used");
  if (policy.signup === "invite" && !invite) throw forbidden("Sign-up needs an invite link from a project owner");
  if (invite?.email && invite.email !== input.email) {
    throw forbidden("This invite link is for a different email address; ask the project owner for your own");
  }
  return invite;
}

/**
 * Sign-up from the web app: the very first account becomes the instance admin (with the setup token
 * when one is asked for); after that TALLY_SIGNUP rules and nobody becomes an admin this way.
 */
export async function signUp(policy: AccountPolicy, input: SignUpRequest): Promise<User> {
  await checkSignUp(db(), policy, input, await setupNeeded());
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    const first = await lockAccountCreation(tx);
    const invite = await checkSignUp(tx, policy, input, first);
    const user = await insertUser(tx, null, {
      email: input.email,
      name: input.name,
      passwordHash,
      isAdmin: first,
      // An invite bound to this email was addressed to it by the project owner.
      verifiedBy: invite?.email ? "invite" : null,
    });
    if (invite) await acceptInviteInTx(tx, invite, { type: "USER", userId: user.id, email: user.email, isAdmin: user.isAdmin });
    return user;
  });
}

/**
 * Headless account creation (admin CLI and instance admins): not subject to TALLY_SIGNUP. The admin
 * who types the email vouches for it, so it counts as verified.
 */
export async function createUser(
  actor: Actor,
  input: { email: string; password: string; name?: string; isAdmin?: boolean },
): Promise<User> {
  if (actor.type === "TOKEN" || (actor.type === "USER" && !actor.isAdmin)) {
    throw forbidden("Only instance administrators can create accounts");
  }
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    const first = await lockAccountCreation(tx);
    return insertUser(tx, actor, {
      email: input.email,
      name: input.name,
      passwordHash,
      isAdmin: first || Boolean(input.isAdmin),
      verifiedBy: "admin",
    });
  });
}

/**
 * Checks an email and password. Unknown emails cost as much as wrong passwords; failures are
 * throttled (see login-throttle.ts) and written to the audit log without the password.
 */
export async function verifyCredentials(email: string, password: string, clientAddress?: string): Promise<User | null> {
  const waitMs = await loginRetryAfterMs(email, clientAddress);
  // Refused without a look at the password, and not audited: a flood of these writes nothing.
  if (waitMs > 0) {
    throw tooManyRequests(`Too many failed sign-in attempts. Try again in ${Math.ceil(waitMs / 1000)} s.`);
  }
  const user = await db().user.findUnique({ where: { email }, select: { ...userSelect, passwordHash: true } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !user.passwordHash || !valid) {
    await recordLoginFailure(email, clientAddress);
    await recordSignInFailure({ email, userId: user?.id, address: clientAddress, method: "password", reason: "wrong-credentials" });
    return null;
  }
  await recordLoginSuccess(email, clientAddress);
  const { passwordHash: _omit, ...view } = user;
  return view;
}

export type SsoRefusal = "email-unverified" | "account-unverified" | "signup-closed";
export type SsoSignIn = { ok: true; user: User } | { ok: false; reason: SsoRefusal };

/**
 * Single sign-on. The provider's word that the email is verified (`email_verified === true`) is
 * required, and an existing account is entered only when its own email was verified: otherwise
 * whoever typed that email into a sign-up form first would receive the real person's sign-ins.
 * A new account is created when sign-up is open, for the very first account, or for a configured
 * admin email; configured admins become instance admins here and only here.
 */
export async function signInWithSso(
  policy: AccountPolicy,
  profile: { email: string; emailVerified: unknown; name?: string | null },
  clientAddress?: string,
): Promise<SsoSignIn> {
  const refuse = async (reason: SsoRefusal, userId?: string): Promise<SsoSignIn> => {
    await recordSignInFailure({ email: profile.email, userId, address: clientAddress, method: "oidc", reason });
    return { ok: false, reason };
  };
  if (profile.emailVerified !== true) return refuse("email-unverified");
  const configuredAdmin = policy.adminEmails.includes(profile.email);
  const existing = await db().user.findUnique({ where: { email: profile.email }, select: { ...userSelect, emailVerifiedAt: true } });
  if (existing) {
    if (!existing.emailVerifiedAt) return refuse("account-unverified", existing.id);
    const { emailVerifiedAt: _omit, ...user } = existing;
    return { ok: true, user: configuredAdmin && !user.isAdmin ? await promoteToAdmin(user) : user };
  }
  const created = await transaction(async (tx) => {
    const first = await lockAccountCreation(tx);
    if (!first && !configuredAdmin && policy.signup !== "open") return null;
    return insertUser(tx, null, {
      email: profile.email,
      name: profile.name,
      passwordHash: null,
      isAdmin: first || configuredAdmin,
      verifiedBy: "oidc",
    });
  });
  return created ? { ok: true, user: created } : refuse("signup-closed");
}

/**
 * An instance admin (or the admin CLI) confirms that an account's email belongs to its owner, after
 * checking it outside Tally; single sign-on may then enter that account.
 */
export async function verifyEmail(actor: Actor, email: string): Promise<User> {
  if (actor.type === "TOKEN" || (actor.type === "USER" && !actor.isAdmin)) {
    throw forbidden("Only instance administrators can verify an account's email");
  }
  return transaction(async (tx) => {
    const updated = await tx.user.updateMany({
      where: { email, emailVerifiedAt: null },
      data: { emailVerifiedAt: new Date(), emailVerifiedBy: "admin" },
    });
    const user = await tx.user.findUnique({ where: { email }, select: userSelect });
    if (!user) throw notFound(`No account exists for ${email}`);
    if (updated.count === 1) {
      await recordAudit(tx, actor, {
        projectId: null,
        action: "user.verify_email",
        resourceType: "user",
        resourceId: user.id,
        actorRole: actor.type === "SYSTEM" ? "SYSTEM" : "ADMIN",
        after: { email, emailVerifiedBy: "admin" },
      });
    }
    return user;
  });
}

export async function getUser(userId: string): Promise<User | null> {
  return db().user.findUnique({ where: { id: userId }, select: userSelect });
}

async function promoteToAdmin(user: User): Promise<User> {
  return transaction(async (tx) => {
    const promoted = await tx.user.update({ where: { id: user.id }, data: { isAdmin: true }, select: userSelect });
    const self: UserActor = { type: "USER", userId: user.id, email: user.email, isAdmin: false };
    await recordAudit(tx, self, {
      projectId: null,
      action: "user.promote_admin",
      resourceType: "user",
      resourceId: user.id,
      actorRole: null,
      before: { isAdmin: false },
      after: { isAdmin: true, reason: "TALLY_ADMIN_EMAILS with an email verified by single sign-on" },
    });
    return promoted;
  });
}
