import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db/client";
import { closePgPool } from "@/server/db/pool";
import { resolveProjectAccess, type UserActor } from "@/server/services/access";
import { createToken } from "@/server/services/api-tokens";
import { stopInvalidationListener } from "@/server/services/cache-invalidation";
import { setModelAlias } from "@/server/services/promotions";
import { createModelVersion, createRegisteredModel } from "@/server/services/registry";
import { createRun } from "@/server/services/runs";
import { createUser } from "@/server/services/users";
import { callerFor, createTestProject, systemActor, uniqueSuffix } from "../factories";
import { createScratchDatabase, type ScratchDatabase } from "../support/databases";
import { loopbackAddress, signInCookie, signInError, startTally, stopTallies } from "../support/tally-server";
import { startWebhookReceiver } from "../support/webhook-receiver";

/**
 * Two Tally servers (scripts/serve.ts over the production build, as `npm start` runs it) on one
 * database, the way replicas run behind a load balancer: they must behave as one. Both run their
 * background jobs, so they get a database of their own on the run's PostgreSQL (on the shared one
 * they would deliver other test files' webhooks); this file's own data goes there too.
 * Needs `next build` first, which `npm test` runs before this.
 */

// The webhook receiver listens on 127.0.0.1; the servers inherit this.
process.env.TALLY_WEBHOOK_ALLOW_PRIVATE = "true";

const PASSWORD = "a-long-enough-password";
let database: ScratchDatabase;
let sharedUrl: string;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let a = "";
let b = "";

/** Points this process's database clients at `url`. */
async function useDatabase(url: string) {
  await disconnectDb();
  await closePgPool();
  await stopInvalidationListener();
  process.env.DATABASE_URL = url;
}

beforeAll(async () => {
  database = await createScratchDatabase("tally_replicas", { migrate: true });
  sharedUrl = process.env.DATABASE_URL!;
  await useDatabase(database.url);
  // The first account becomes the instance admin (an owner everywhere); the tests' people are not.
  await createUser(systemActor, { email: `admin-${uniqueSuffix()}@example.test`, password: PASSWORD });
  receiver = await startWebhookReceiver();
  const env = { DATABASE_URL: database.url, TALLY_BACKGROUND_JOBS: "true" };
  [a, b] = await Promise.all([startTally(env), startTally(env)]);
}, 120_000);

afterAll(async () => {
  await stopTallies();
  await receiver?.close();
  await useDatabase(sharedUrl);
  await database?.drop();
});

async function person(): Promise<UserActor> {
  const user = await createUser(systemActor, { email: `replicas-${uniqueSuffix()}@example.test`, password: PASSWORD });
  return { type: "USER", userId: user.id, email: user.email, isAdmin: user.isAdmin };
}

/** An owner with a password, their project and a read/write token of it. */
async function team() {
  const owner = await person();
  const { project } = await createTestProject(owner);
  const access = await resolveProjectAccess(owner, project.slug);
  const { token, plaintext } = await createToken(access, { name: `t-${uniqueSuffix()}`, scopes: ["read", "write"] });
  return { owner, project, access, tokenId: token.id, token: plaintext };
}

async function mlflow(base: string, token: string, endpoint: string, body: unknown) {
  const response = await fetch(`${base}/api/2.0/mlflow/${endpoint}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${endpoint} through ${base}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

const whoami = (base: string, token: string) =>
  fetch(`${base}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.status);

/** A tRPC call as the web app makes it, with a session cookie; the HTTP status. */
async function trpc(base: string, cookie: string, procedure: string, input: Record<string, unknown>, kind: "query" | "mutation") {
  const url = `${base}/api/trpc/${procedure}`;
  const body = JSON.stringify({ json: input });
  const response =
    kind === "query"
      ? await fetch(`${url}?input=${encodeURIComponent(body)}`, { headers: { cookie } })
      : await fetch(url, { method: "POST", headers: { cookie, "content-type": "application/json" }, body });
  await response.arrayBuffer();
  return response.status;
}

async function session(base: string, email: string): Promise<string> {
  const cookie = await signInCookie(base, email, PASSWORD);
  if (!cookie) throw new Error(`sign-in of ${email} through ${base} failed`);
  return cookie;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("two servers on one database", () => {
  it("store every point once when runs log through both at the same time", async () => {
    const { token } = await team();
    const writers = 4;
    const batches = 10;
    const perBatch = 100;
    const runIds = await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        const created = (await mlflow(writer % 2 ? b : a, token, "runs/create", { experiment_id: "0", run_name: `writer-${writer}` })) as {
          run: { info: { run_id: string } };
        };
        return created.run.info.run_id;
      }),
    );
    // All writers at once, each switching server with every batch.
    await Promise.all(
      runIds.map(async (runId, writer) => {
        for (let batch = 0; batch < batches; batch++) {
          const metrics = Array.from({ length: perBatch }, (_, index) => {
            const step = batch * (perBatch / 5) + Math.floor(index / 5);
            return { key: `m${index % 5}`, value: writer * 1e6 + step, timestamp: 1_700_000_000_000 + step, step };
          });
          await mlflow((writer + batch) % 2 ? b : a, token, "runs/log-batch", { run_id: runId, metrics });
        }
      }),
    );
    const runs = await db().run.findMany({ where: { id: { in: runIds } }, select: { seq: true } });
    expect(await db().metricPoint.count({ where: { runSeq: { in: runs.map((run) => run.seq) } } })).toBe(writers * batches * perBatch);
    // Either server answers with the whole history.
    const history = await fetch(`${b}/api/2.0/mlflow/metrics/get-history?run_id=${runIds[0]}&metric_key=m0&max_results=1000`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json() as Promise<{ metrics: { step: number }[] }>);
    expect(new Set(history.metrics.map((point) => point.step)).size).toBe(batches * (perBatch / 5));
    expect(history.metrics).toHaveLength(batches * (perBatch / 5));
  });

  it("refuse a token on one server within a second of its revocation through the other", async () => {
    const { owner, project, tokenId, token } = await team();
    // B verifies the token and keeps it in its cache: a change nobody announces (a direct UPDATE of
    // another token) goes unseen there until the cache's TTL, so what follows is the notification's doing.
    const unannounced = await createToken(await resolveProjectAccess(owner, project.slug), { name: `u-${uniqueSuffix()}`, scopes: ["read"] });
    expect([await whoami(b, token), await whoami(b, unannounced.plaintext)]).toEqual([200, 200]);
    await db().apiToken.update({ where: { id: unannounced.token.id }, data: { revokedAt: new Date() } });
    expect(await whoami(b, unannounced.plaintext)).toBe(200);

    const cookie = await session(a, owner.email);
    expect(await trpc(a, cookie, "tokens.revoke", { projectSlug: project.slug, tokenId }, "mutation")).toBe(200);
    const revokedAt = Date.now();
    while ((await whoami(b, token)) === 200 && Date.now() - revokedAt < 5_000) await sleep(10);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    expect(await whoami(b, token)).toBe(401);
    expect(await whoami(a, token)).toBe(401);
  });

  it("apply a role change and a removal made through one server on the other at once", async () => {
    const { owner, project } = await team();
    const member = await person();
    await db().membership.create({ data: { projectId: project.id, userId: member.userId, role: "MAINTAINER" } });
    const [ownerOnA, memberOnB] = [await session(a, owner.email), await session(b, member.email)];
    const projectSlug = project.slug;
    expect(await trpc(b, memberOnB, "tokens.list", { projectSlug }, "query")).toBe(200);

    expect(await trpc(a, ownerOnA, "members.changeRole", { projectSlug, userId: member.userId, role: "VIEWER" }, "mutation")).toBe(200);
    expect(await trpc(b, memberOnB, "tokens.list", { projectSlug }, "query")).toBe(403);
    expect(await trpc(b, memberOnB, "members.list", { projectSlug }, "query")).toBe(200);

    expect(await trpc(a, ownerOnA, "members.remove", { projectSlug, userId: member.userId }, "mutation")).toBe(200);
    expect(await trpc(b, memberOnB, "members.list", { projectSlug }, "query")).toBe(404);
  });

  it("keep a password guesser throttled when the attempts alternate between them", async () => {
    const victim = await person();
    const guesser = loopbackAddress();
    const errors: (string | null)[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      errors.push(await signInError(attempt % 2 ? b : a, victim.email, "not-the-password", { from: guesser }));
    }
    // One server alone would have seen at most four of these failures, and let every attempt through.
    expect(errors.slice(0, 5)).toEqual(Array(5).fill("CredentialsSignin"));
    expect(errors.at(-1)).toMatch(/^Too many failed sign-in attempts/);
    // The owner, from an address that has not failed, still gets in through either.
    expect(await signInError(a, victim.email, PASSWORD, { from: loopbackAddress() })).toBeNull();
  });

  it("deliver each webhook event exactly once while both run the delivery worker", async () => {
    const { owner, project, access } = await team();
    const webhook = await callerFor(owner).webhooks.create({
      projectSlug: project.slug,
      name: "replicas",
      url: receiver.url,
      secret: "whsec-0123456789abcdef",
      events: ["alias.changed"],
      format: "tally",
    });
    const run = await createRun(access, { experimentId: "0", tags: [] });
    const model = await createRegisteredModel(access, { name: `m-${uniqueSuffix()}` });
    await createModelVersion(access, model.name, { source: `runs:/${run.id}/model`, runId: run.id });
    const before = receiver.received.length;
    const events = 30;
    for (let i = 0; i < events; i++) await setModelAlias(access, model.name, `a${i}`, 1);

    const delivered = () => db().webhookDelivery.count({ where: { webhookId: webhook.id, status: "succeeded" } });
    const started = Date.now();
    while ((await delivered()) < events && Date.now() - started < 30_000) await sleep(100);
    expect(await delivered()).toBe(events);
    // A second delivery of any of them would come with the workers' next polls (every second).
    await sleep(2_500);
    const ids = receiver.received.slice(before).map((request) => request.headers["x-tally-delivery"]);
    expect(ids).toHaveLength(events);
    expect(new Set(ids).size).toBe(events);
    expect(await db().webhookAttempt.count({ where: { delivery: { webhookId: webhook.id } } })).toBe(events);
  });
});
