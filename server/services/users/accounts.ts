import type { SignupMode } from "@/lib/env";
import { badInput, conflict, forbidden, tooManyRequests } from "@/lib/errors";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import type { Actor } from "../access";
import { recordAudit } from "../audit";
import { acceptInviteInTx, findUsableInvite } from "../members";
import { decoyPasswordHash, hashPassword, verifyPassword } from "./password";
import { loginRetryAfterMs, recordLoginFailure, recordLoginSuccess } from "./login-throttle";

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  isAdmin: boolean;
}

const userView = { id: true, email: true, name: true, isAdmin: true } as const;

export interface AccountPolicy {
  signup: SignupMode;
  /** Emails that are instance admins whatever the order of sign-up (TALLY_ADMIN_EMAILS). */
  adminEmails: readonly string[];
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
  fields: { email: string; name?: string | null; passwordHash: string | null; isAdmin: boolean },
): Promise<UserView> {
  if (await tx.user.findUnique({ where: { email: fields.email }, select: { id: true } })) {
    throw conflict(`An account for ${fields.email} already exists`);
  }
  const user = await tx.user.create({
    data: { email: fields.email, name: fields.name || null, passwordHash: fields.passwordHash, isAdmin: fields.isAdmin },
    select: userView,
  });
  const self: Actor = { type: "USER", userId: user.id, email: user.email, isAdmin: user.isAdmin };
  await recordAudit(tx, actor ?? self, {
    projectId: null,
    action: "user.create",
    resourceType: "user",
    resourceId: user.id,
    actorRole: actor?.type === "SYSTEM" ? "SYSTEM" : actor?.type === "USER" && actor.isAdmin ? "ADMIN" : null,
    after: user,
  });
  return user;
}

/** Sign-up from the web app: the first account becomes the instance admin; after that TALLY_SIGNUP rules. */
export async function signUp(
  policy: AccountPolicy,
  input: { email: string; password: string; name?: string; inviteToken?: string },
): Promise<UserView> {
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    const first = await lockAccountCreation(tx);
    const configuredAdmin = policy.adminEmails.includes(input.email);
    const invite = input.inviteToken ? await findUsableInvite(tx, input.inviteToken) : null;
    if (input.inviteToken && !invite) throw badInput("This invite link is invalid, expired or already used");
    if (!first && !configuredAdmin) {
      if (policy.signup === "closed") throw forbidden("Sign-up is closed on this Tally; ask an administrator for an account");
      if (policy.signup === "invite" && !invite) throw forbidden("Sign-up needs an invite link from a project owner");
    }
    const user = await insertUser(tx, null, {
      email: input.email,
      name: input.name,
      passwordHash,
      isAdmin: first || configuredAdmin,
    });
    if (invite) await acceptInviteInTx(tx, invite, { type: "USER", userId: user.id, email: user.email, isAdmin: user.isAdmin });
    return user;
  });
}

/** Headless account creation (admin CLI and instance admins): not subject to TALLY_SIGNUP. */
export async function createUser(
  actor: Actor,
  input: { email: string; password: string; name?: string; isAdmin?: boolean },
): Promise<UserView> {
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
    });
  });
}

/**
 * Checks an email and password. Unknown emails cost as much as wrong passwords, and repeated
 * failures per account and per address are throttled.
 */
export async function verifyCredentials(
  policy: AccountPolicy,
  email: string,
  password: string,
  clientIp?: string,
): Promise<UserView | null> {
  const waitMs = loginRetryAfterMs(email, clientIp);
  if (waitMs > 0) {
    throw tooManyRequests(`Too many failed sign-in attempts. Try again in ${Math.ceil(waitMs / 1000)} s.`);
  }
  const user = await db().user.findUnique({ where: { email }, select: { ...userView, passwordHash: true } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !user.passwordHash || !valid) {
    recordLoginFailure(email, clientIp);
    return null;
  }
  recordLoginSuccess(email);
  const { passwordHash: _omit, ...view } = user;
  return promoteConfiguredAdmin(policy, view);
}

/**
 * Single sign-on: an existing account with the same (verified) email signs in; a new one is created
 * when sign-up is open, when it is the first account, or when the email is a configured admin.
 */
export async function findOrProvisionSsoUser(
  policy: AccountPolicy,
  profile: { email: string; name?: string | null },
): Promise<UserView | null> {
  const existing = await db().user.findUnique({ where: { email: profile.email }, select: userView });
  if (existing) return promoteConfiguredAdmin(policy, existing);
  return transaction(async (tx) => {
    const first = await lockAccountCreation(tx);
    const configuredAdmin = policy.adminEmails.includes(profile.email);
    if (!first && !configuredAdmin && policy.signup !== "open") return null;
    return insertUser(tx, null, {
      email: profile.email,
      name: profile.name,
      passwordHash: null,
      isAdmin: first || configuredAdmin,
    });
  });
}

export async function getUser(userId: string): Promise<UserView | null> {
  return db().user.findUnique({ where: { id: userId }, select: userView });
}

async function promoteConfiguredAdmin(policy: AccountPolicy, user: UserView): Promise<UserView> {
  if (user.isAdmin || !policy.adminEmails.includes(user.email)) return user;
  return db().user.update({ where: { id: user.id }, data: { isAdmin: true }, select: userView });
}
