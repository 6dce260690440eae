import { describe, expect, it } from "vitest";
import { GET as whoami } from "@/app/api/v1/whoami/route";
import { db } from "@/server/db/client";
import { resolveProjectAccess } from "@/server/services/access";
import { authenticateToken } from "@/server/services/api-tokens";
import type { TokenScope } from "@/lib/rbac";
import { handleMlflowRequest } from "@/server/http/mlflow/handle-request";
import { callerFor, createProjectWithToken, createTestProject, trpcErrorOf, uniqueSuffix } from "../factories";

/** The token lifecycle as a CI job sees it: created in the web app, used against the REST API. */

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
});

async function callWhoami(headers: Record<string, string> = {}) {
  const response = await whoami(new Request("http://t/api/v1/whoami", { headers }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A project whose (non-admin) owner creates a token through tRPC, as in the web app. */
async function projectWithToken(options: { scopes?: TokenScope[]; expiresInDays?: number } = {}) {
  const { project, owner } = await createTestProject();
  const caller = callerFor(owner);
  const created = await caller.tokens.create({
    projectSlug: project.slug,
    name: `ci-${uniqueSuffix()}`,
    scopes: options.scopes ?? ["read", "write"],
    expiresInDays: options.expiresInDays,
  });
  return { project, owner, caller, ...created };
}

function expectUnauthenticated(result: { status: number; body: Record<string, unknown> }, message?: RegExp) {
  expect(result.status).toBe(401);
  expect(result.body).toEqual({ error: { code: "UNAUTHENTICATED", message: expect.any(String) } });
  if (message) expect((result.body.error as { message: string }).message).toMatch(message);
}

describe("API token lifecycle through GET /api/v1/whoami", () => {
  it("authenticates a new token and reports its project and scopes", async () => {
    const { project, token, plaintext } = await projectWithToken({ scopes: ["read", "promote"] });
    expect(plaintext).toMatch(/^tly_[0-9A-Za-z]{12}_[0-9A-Za-z]{32}$/);
    const result = await callWhoami(bearer(plaintext));
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      project: { slug: project.slug, name: project.name },
      token: { id: token.id, name: token.name, scopes: ["read", "promote"], expiresAt: null },
    });
  });

  it("accepts HTTP Basic with the token as the password and any user name", async () => {
    const { project, plaintext } = await projectWithToken();
    for (const user of ["token", "mlflow-user", ""]) {
      const result = await callWhoami(basic(user, plaintext));
      expect(result.status, `user name ${JSON.stringify(user)}`).toBe(200);
      expect((result.body.project as { slug: string }).slug).toBe(project.slug);
    }
  });

  it("refuses a revoked token", async () => {
    const { project, caller, token, plaintext } = await projectWithToken();
    await caller.tokens.revoke({ projectSlug: project.slug, tokenId: token.id });
    expectUnauthenticated(await callWhoami(bearer(plaintext)), /revoked/);
  });

  it("refuses a revoked token at once, even when the previous request cached it", async () => {
    const { project, caller, token, plaintext } = await projectWithToken();
    expect((await callWhoami(bearer(plaintext))).status).toBe(200);
    expect((await callWhoami(bearer(plaintext))).status).toBe(200);
    await caller.tokens.revoke({ projectSlug: project.slug, tokenId: token.id });
    expectUnauthenticated(await callWhoami(bearer(plaintext)), /revoked/);
    expectUnauthenticated(await callWhoami(basic("x", plaintext)), /revoked/);
  });

  it("refuses an expired token", async () => {
    const { token, plaintext } = await projectWithToken({ expiresInDays: 30 });
    expect(token.expiresAt).toBeInstanceOf(Date);
    const inThirtyDays = Date.now() + 30 * 86_400_000;
    expect(Math.abs(token.expiresAt!.getTime() - inThirtyDays)).toBeLessThan(60_000);
    await db().apiToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expectUnauthenticated(await callWhoami(bearer(plaintext)), /expired/);
  });

  it("keeps accepting a token that has not expired yet, and shows when it will", async () => {
    const { token, plaintext } = await projectWithToken({ expiresInDays: 1 });
    const result = await callWhoami(bearer(plaintext));
    expect(result.status).toBe(200);
    expect((result.body.token as { expiresAt: string }).expiresAt).toBe(token.expiresAt!.toISOString());
  });

  it("stops accepting a cached token once its expiry passes", async () => {
    const { token, plaintext } = await projectWithToken({ expiresInDays: 1 });
    await authenticateToken(plaintext); // cached now
    const afterExpiry = new Date(token.expiresAt!.getTime() + 1);
    await expect(authenticateToken(plaintext, undefined, afterExpiry)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it.each([
    ["no Authorization header", {}, /required/],
    ["an empty Bearer", { authorization: "Bearer " }, /required/],
    ["another scheme", { authorization: "Token tly_ABCDEFGHIJKL_0123456789abcdefghijABCDEFGHIJ01" }, /required/],
    ["a malformed token", bearer("not-a-tally-token"), /malformed/],
    ["an unknown token", bearer("tly_ABCDEFGHIJKL_0123456789abcdefghijABCDEFGHIJ01"), /not valid/],
  ])("answers 401 with a JSON error for %s", async (_label, headers, message) => {
    expectUnauthenticated(await callWhoami(headers), message);
  });

  it("refuses the right token id with a wrong secret, and does not count it as a use", async () => {
    const { token, plaintext } = await projectWithToken();
    const secret = plaintext.slice(-32);
    const wrong = plaintext.slice(0, -32) + (secret[0] === "a" ? "b" : "a") + secret.slice(1);
    expectUnauthenticated(await callWhoami(bearer(wrong)), /not valid/);
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.lastUsedAt).toBeNull();
  });

  it("records when a token was last used", async () => {
    const { project, caller, token, plaintext } = await projectWithToken();
    expect(token.lastUsedAt).toBeNull();
    const before = Date.now();
    expect((await callWhoami(bearer(plaintext))).status).toBe(200);
    const after = Date.now();
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(row.lastUsedAt!.getTime()).toBeLessThanOrEqual(after + 5);
    const listed = await caller.tokens.list({ projectSlug: project.slug });
    expect(listed.find((t) => t.id === token.id)?.lastUsedAt?.getTime()).toBe(row.lastUsedAt!.getTime());
  });

  it("never lists the secret, the salt or the hash; lists only active tokens", async () => {
    const { project, owner, caller, token, plaintext } = await projectWithToken();
    const revoked = await caller.tokens.create({ projectSlug: project.slug, name: "old", scopes: ["read"] });
    await caller.tokens.revoke({ projectSlug: project.slug, tokenId: revoked.token.id });
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });

    const listed = await caller.tokens.list({ projectSlug: project.slug });
    expect(listed.map((t) => t.id)).toEqual([token.id]);
    expect(Object.keys(listed[0]!).sort()).toEqual(
      ["createdAt", "createdBy", "displayPrefix", "expiresAt", "id", "lastUsedAt", "name", "scopes"].sort(),
    );
    expect(listed[0]).toMatchObject({ name: token.name, createdBy: owner.email, displayPrefix: `tly_${token.id}_…` });
    const json = JSON.stringify(listed);
    const secret = plaintext.slice(-32);
    for (const hidden of [plaintext, secret, row.salt, row.secretHash]) expect(json).not.toContain(hidden);
    // The database itself holds only the salted hash.
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("returns the plaintext only from create: not from list, revoke or the audit log", async () => {
    const { project, caller, token, plaintext } = await projectWithToken();
    const secret = plaintext.slice(-32);
    expect(JSON.stringify(token)).not.toContain(secret);
    const responses = [
      await caller.tokens.list({ projectSlug: project.slug }),
      await caller.audit.list({ projectSlug: project.slug, limit: 200 }),
      await caller.projects.get({ projectSlug: project.slug }),
      await caller.tokens.revoke({ projectSlug: project.slug, tokenId: token.id }),
      await caller.audit.list({ projectSlug: project.slug, limit: 200 }),
    ];
    for (const response of responses) expect(JSON.stringify(response ?? null)).not.toContain(secret);
    const events = await db().auditEvent.findMany({ where: { projectId: project.id } });
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(secret);
  });

  it("shows only a token's own project; the token cannot open another project", async () => {
    const a = await projectWithToken();
    const b = await projectWithToken();
    const principal = await authenticateToken(a.plaintext);
    expect(principal.project.slug).toBe(a.project.slug);

    await expect(resolveProjectAccess(principal, b.project.slug)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const own = await resolveProjectAccess(principal, a.project.slug);
    expect(own.project.id).toBe(a.project.id);

    const result = await callWhoami(bearer(a.plaintext));
    expect(result.body.project).toEqual({ slug: a.project.slug, name: a.project.name });
    expect(JSON.stringify(result.body)).not.toContain(b.project.slug);
  });

  it("cannot revoke another project's token by id", async () => {
    const a = await projectWithToken();
    const b = await projectWithToken();
    const refused = await trpcErrorOf(a.caller.tokens.revoke({ projectSlug: a.project.slug, tokenId: b.token.id }));
    expect(refused.code).toBe("NOT_FOUND");
    expect((await callWhoami(bearer(b.plaintext))).status).toBe(200);
  });
});

describe("token use from a new client address", () => {
  it("is written to the project's audit log once per address, through the REST and MLflow edges alike", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const events = () =>
      db().auditEvent.findMany({ where: { projectId: project.id, action: "token.new_address" }, orderBy: { id: "asc" } });
    const from = (address: string) => ({ ...bearer(plaintext), "x-tally-peer-address": address });

    expect((await callWhoami(from("203.0.113.10"))).status).toBe(200);
    expect((await callWhoami(from("203.0.113.10"))).status).toBe(200);
    const mlflow = await handleMlflowRequest(
      new Request(`http://t/api/2.0/mlflow/experiments/search?max_results=1`, { headers: from("203.0.113.11") }),
      { segments: ["experiments", "search"] },
    );
    expect(mlflow.status).toBe(200);
    expect((await events()).map((event) => [event.actorType, (event.after as { address: string }).address])).toEqual([
      ["TOKEN", "203.0.113.10"],
      ["TOKEN", "203.0.113.11"],
    ]);
    // The token itself never appears in the log.
    expect(JSON.stringify((await events()).map((event) => event.after))).not.toContain(plaintext.split("_")[2]);
  });
});
