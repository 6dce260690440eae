import type { TokenScope } from "@/lib/rbac";
import { notFound } from "@/lib/errors";
import { db } from "@/server/db/client";
import { transaction } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";
import { announceInvalidation, invalidateLocally } from "../cache-invalidation";
import { displayPrefix, generateToken, hashSecret, newSalt } from "./token-format";

export interface ApiToken {
  id: string;
  name: string;
  scopes: TokenScope[];
  displayPrefix: string;
  createdAt: Date;
  createdBy: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export async function createToken(
  access: ProjectAccess,
  input: { name: string; scopes: TokenScope[]; expiresInDays?: number },
  now = new Date(),
): Promise<{ token: ApiToken; plaintext: string }> {
  assertScope(access, "apiTokens:manage");
  const { id, secret, plaintext } = generateToken();
  const salt = newSalt();
  const createdBy = access.actor.type === "USER" ? access.actor.email : access.actor.type === "SYSTEM" ? access.actor.label : null;
  return transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        id,
        projectId: access.project.id,
        name: input.name,
        scopes: input.scopes,
        salt,
        secretHash: hashSecret(salt, secret),
        displayPrefix: displayPrefix(id),
        createdById: access.actor.type === "USER" ? access.actor.userId : null,
        expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
      },
    });
    const token: ApiToken = {
      id: row.id,
      name: row.name,
      scopes: row.scopes as TokenScope[],
      displayPrefix: row.displayPrefix,
      createdAt: row.createdAt,
      createdBy,
      expiresAt: row.expiresAt,
      lastUsedAt: null,
    };
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "token.create",
      resourceType: "apiToken",
      resourceId: id,
      actorRole: access.roleSnapshot,
      after: { id, name: token.name, scopes: token.scopes, expiresAt: token.expiresAt },
    });
    return { token, plaintext };
  });
}

/** Active (not revoked) tokens, newest first. Never includes anything secret. */
export async function listTokens(access: ProjectAccess): Promise<ApiToken[]> {
  assertScope(access, "apiTokens:manage");
  const rows = await db().apiToken.findMany({
    where: { projectId: access.project.id, revokedAt: null },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      scopes: true,
      displayPrefix: true,
      createdAt: true,
      createdById: true,
      expiresAt: true,
      lastUsedAt: true,
    },
  });
  const creatorIds = [...new Set(rows.map((row) => row.createdById).filter((id): id is string => Boolean(id)))];
  const creators = new Map(
    (await db().user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } })).map(
      (user) => [user.id, user.email],
    ),
  );
  return rows.map(({ createdById, ...row }) => ({
    ...row,
    scopes: row.scopes as TokenScope[],
    createdBy: createdById ? (creators.get(createdById) ?? null) : null,
  }));
}

export async function revokeToken(access: ProjectAccess, tokenId: string): Promise<void> {
  assertScope(access, "apiTokens:manage");
  await transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({
      where: { id: tokenId, projectId: access.project.id, revokedAt: null },
      select: { id: true, name: true, scopes: true },
    });
    if (!token) throw notFound("No active token with that id in this project");
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "token.revoke",
      resourceType: "apiToken",
      resourceId: token.id,
      actorRole: access.roleSnapshot,
      before: token,
    });
    await announceInvalidation(tx, { kind: "token", tokenId: token.id });
  });
  invalidateLocally({ kind: "token", tokenId });
}
