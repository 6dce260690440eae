import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { transaction } from "@/server/db/transaction";
import { resolveProjectAccess, type UserActor } from "@/server/services/access";
import { claimDue } from "@/server/services/jobs";
import { saveModelCard } from "@/server/services/model-cards";
import { decidePromotion, deleteModelAlias, requestPromotion, setModelAlias, transitionModelVersionStage } from "@/server/services/promotions";
import { createModelVersion, createRegisteredModel } from "@/server/services/registry";
import { createRun } from "@/server/services/runs";
import { enqueueRegistryWebhookEvent, processDueDeliveries, type WebhookPayload } from "@/server/services/webhooks";
import { addTestMember, callerFor, createTestProject, trpcErrorOf, uniqueSuffix } from "../factories";
import { startWebhookReceiver } from "../support/webhook-receiver";

// The receivers listen on 127.0.0.1: this file's Tally allows private targets (the refusal is tested
// in webhooks-private-targets.test.ts).
process.env.TALLY_WEBHOOK_ALLOW_PRIVATE = "true";

const SECRET = "whsec-0123456789abcdef";
const receivers: Awaited<ReturnType<typeof startWebhookReceiver>>[] = [];

async function receiver(statuses?: number[]) {
  const started = await startWebhookReceiver(statuses);
  receivers.push(started);
  return started;
}

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

/** A project whose owner has a model with one version, and a webhook on `url` for `events`. */
async function setup(url: string, events: string[] = ["version.created", "stage.changed", "alias.changed", "card.changed"], format = "tally") {
  const { project, owner } = await createTestProject();
  const access = await resolveProjectAccess(owner, project.slug);
  const webhook = await callerFor(owner).webhooks.create({
    projectSlug: project.slug,
    name: "ci",
    url,
    secret: SECRET,
    events: events as never,
    format: format as never,
  });
  const run = await createRun(access, { experimentId: "0", tags: [] });
  const model = await createRegisteredModel(access, { name: `m-${uniqueSuffix()}` });
  return { project, owner, access, webhook, runId: run.id, modelName: model.name };
}

type Setup = Awaited<ReturnType<typeof setup>>;

const addVersion = (s: Setup) => createModelVersion(s.access, s.modelName, { source: `runs:/${s.runId}/model`, runId: s.runId });
const deliveries = (s: Setup, owner: UserActor = s.owner) =>
  callerFor(owner).webhooks.deliveries({ projectSlug: s.project.slug, webhookId: s.webhook.id });
const runWorker = (s: Setup, now?: Date) => processDueDeliveries({ webhookIds: [s.webhook.id], now });

describe("webhook deliveries", () => {
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    hook = await receiver();
  });

  it("POSTs a signed event when a version is created, and the signature verifies with the secret", async () => {
    const s = await setup(hook.url);
    const before = hook.received.length;
    await addVersion(s);
    expect(await runWorker(s)).toBe(1);
    const [request] = hook.received.slice(before);
    expect(request).toBeDefined();
    const timestamp = request!.headers["x-tally-timestamp"] as string;
    const expected = createHmac("sha256", SECRET).update(`${timestamp}.${request!.body}`).digest("hex");
    expect(request!.headers["x-tally-signature"]).toBe(`v1=${expected}`);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(request!.headers["x-tally-event"]).toBe("version.created");
    expect(request!.headers["content-type"]).toBe("application/json");
    const payload = JSON.parse(request!.body) as WebhookPayload;
    expect(payload).toMatchObject({
      kind: "version.created",
      project: { slug: s.project.slug },
      model: { name: s.modelName },
      version: 1,
      actor: s.owner.email,
      after: expect.objectContaining({ stage: "None" }),
    });
    expect(payload.url).toMatch(new RegExp(`/projects/${s.project.slug}/models/${s.modelName}/versions/1$`));
    const page = await deliveries(s);
    expect(page.deliveries).toHaveLength(1);
    expect(page.deliveries[0]).toMatchObject({ id: request!.headers["x-tally-delivery"], eventId: payload.id, status: "succeeded", attempts: 1, lastResponseCode: 200 });
    // Nothing is due any more.
    expect(await runWorker(s)).toBe(0);
  });

  it("retries a 500 with backoff and delivers on the retry; the log shows both attempts", async () => {
    const flaky = await receiver([500, 200]);
    const s = await setup(flaky.url);
    await addVersion(s);
    const t0 = new Date(Date.now() + 1_000);
    expect(await runWorker(s, t0)).toBe(1);
    let [delivery] = (await deliveries(s)).deliveries;
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastResponseCode: 500 });
    expect(delivery!.nextAttemptAt!.getTime()).toBe(t0.getTime() + 60_000);
    // Not due before its time.
    expect(await runWorker(s, new Date(t0.getTime() + 30_000))).toBe(0);
    expect(await runWorker(s, new Date(t0.getTime() + 60_000))).toBe(1);
    [delivery] = (await deliveries(s)).deliveries;
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 2, lastResponseCode: 200, nextAttemptAt: null });
    expect(delivery!.log.map((attempt) => attempt.responseCode)).toEqual([200, 500]);
    expect(flaky.received.map((request) => request.headers["x-tally-delivery"])).toEqual([delivery!.id, delivery!.id]);
  });

  it("fails a 4xx at once, without retrying", async () => {
    const gone = await receiver([404]);
    const s = await setup(gone.url);
    await addVersion(s);
    await runWorker(s);
    const [delivery] = (await deliveries(s)).deliveries;
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastResponseCode: 404, lastError: "Answered 404" });
    expect(await runWorker(s, new Date(Date.now() + 86_400_000))).toBe(0);
  });

  it("retries when nothing answers (connection refused)", async () => {
    const closed = await receiver();
    await closed.close();
    const s = await setup(closed.url, ["version.created"]);
    await addVersion(s);
    const now = new Date(Date.now() + 1_000);
    await runWorker(s, now);
    const [delivery] = (await deliveries(s)).deliveries;
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastResponseCode: null, lastError: expect.stringContaining("ECONNREFUSED") });
    expect(delivery!.nextAttemptAt!.getTime()).toBe(now.getTime() + 60_000);
  });

  it("retries a 429 with growing waits, and gives up after about a day", async () => {
    const busy = await receiver([429]);
    const s = await setup(busy.url);
    await addVersion(s);
    let now = new Date(Date.now() + 1_000);
    const start = now.getTime();
    let attempts = 0;
    while ((await runWorker(s, now)) === 1) {
      attempts += 1;
      const [delivery] = (await deliveries(s)).deliveries;
      if (delivery!.status !== "pending") break;
      now = delivery!.nextAttemptAt!;
    }
    const [delivery] = (await deliveries(s)).deliveries;
    expect(delivery).toMatchObject({ status: "failed", attempts: 13, lastResponseCode: 429 });
    expect(attempts).toBe(13);
    const hours = (now.getTime() - start) / 3_600_000;
    expect(hours).toBeGreaterThan(20);
    expect(hours).toBeLessThan(30);
  });

  it("sends every event exactly once when two workers process at the same time", async () => {
    const s = await setup(hook.url, ["alias.changed"]);
    await addVersion(s);
    const before = hook.received.length;
    for (let i = 0; i < 12; i++) await setModelAlias(s.access, s.modelName, `a${i}`, 1);
    const now = new Date(Date.now() + 1_000);
    const counts = await Promise.all([
      processDueDeliveries({ webhookIds: [s.webhook.id], now, owner: "replica-a", limit: 12 }),
      processDueDeliveries({ webhookIds: [s.webhook.id], now, owner: "replica-b", limit: 12 }),
    ]);
    expect(counts[0] + counts[1]).toBe(12);
    const ids = hook.received.slice(before).map((request) => request.headers["x-tally-delivery"]);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect((await deliveries(s)).deliveries.every((d) => d.status === "succeeded" && d.attempts === 1)).toBe(true);
  });

  it("leaves a delivery claimed by a process that died to another once its lease ends", async () => {
    const s = await setup(hook.url, ["version.created"]);
    await addVersion(s);
    const now = new Date(Date.now() + 1_000);
    const claimed = await claimDue(
      { table: "WebhookDelivery", dueColumn: "nextAttemptAt", ready: `"status" = 'pending'` },
      { owner: "dead-replica", now, leaseMs: 60_000, limit: 10, only: { column: "webhookId", values: [s.webhook.id] } },
    );
    expect(claimed).toHaveLength(1);
    expect(await runWorker(s, new Date(now.getTime() + 59_000))).toBe(0);
    expect(await runWorker(s, new Date(now.getTime() + 60_000))).toBe(1);
    expect((await deliveries(s)).deliveries[0]).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("formats Slack deliveries as one line of text with a link", async () => {
    const slack = await receiver();
    const s = await setup(slack.url, ["stage.changed"], "slack");
    await addVersion(s);
    await transitionModelVersionStage(s.access, s.modelName, 1, { stage: "Staging", archiveExisting: false });
    await runWorker(s);
    expect(slack.received).toHaveLength(1);
    const body = JSON.parse(slack.received[0]!.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toContain(`Stage changed: ${s.modelName} v1 (None → Staging) by ${s.owner.email}`);
    expect(body.text).toContain(`/projects/${s.project.slug}/models/${s.modelName}/versions/1|open in Tally>`);
  });

  it("sends a test event to that webhook only, and redelivers a delivery as a new attempt", async () => {
    const s = await setup(hook.url);
    const other = await callerFor(s.owner).webhooks.create({ projectSlug: s.project.slug, name: "other", url: hook.url, secret: SECRET, events: ["version.created"] });
    const before = hook.received.length;
    await callerFor(s.owner).webhooks.sendTest({ projectSlug: s.project.slug, webhookId: s.webhook.id });
    await processDueDeliveries({ webhookIds: [s.webhook.id, other.id] });
    expect(hook.received.slice(before).map((r) => r.headers["x-tally-event"])).toEqual(["ping"]);
    const [ping] = (await deliveries(s)).deliveries;
    expect(ping).toMatchObject({ kind: "ping", status: "succeeded", attempts: 1 });

    await callerFor(s.owner).webhooks.redeliver({ projectSlug: s.project.slug, deliveryId: ping!.id });
    expect((await deliveries(s)).deliveries[0]).toMatchObject({ status: "pending" });
    await runWorker(s);
    const [again] = (await deliveries(s)).deliveries;
    expect(again).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(again!.log).toHaveLength(2);
    const actions = await db().auditEvent.findMany({ where: { projectId: s.project.id, resourceType: "webhook" }, select: { action: true }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["webhook.create", "webhook.create", "webhook.test", "webhook.redeliver"]);
  });

  it("does not send to an inactive webhook", async () => {
    const s = await setup(hook.url, ["version.created"]);
    await callerFor(s.owner).webhooks.update({ projectSlug: s.project.slug, webhookId: s.webhook.id, changes: { active: false } });
    await addVersion(s);
    expect((await deliveries(s)).deliveries).toEqual([]);
    const refused = await trpcErrorOf(callerFor(s.owner).webhooks.sendTest({ projectSlug: s.project.slug, webhookId: s.webhook.id }));
    expect(refused).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("inactive") });
  });
});

describe("the outbox", () => {
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    hook = await receiver();
  });

  const events = (projectId: string) =>
    db().webhookEvent.findMany({ where: { projectId }, orderBy: { createdAt: "asc" }, select: { kind: true, payload: true } });

  it("holds an event exactly when the registry change committed", async () => {
    const s = await setup(hook.url);
    await addVersion(s);
    const committed = (await events(s.project.id)).length;
    await expect(
      transaction(async (tx) => {
        await tx.modelVersion.updateMany({ where: { version: 1, model: { name: s.modelName, projectId: s.project.id } }, data: { stage: "Staging" } });
        await enqueueRegistryWebhookEvent(tx, s.access, { kind: "version.stage", model: { name: s.modelName }, version: 1, before: { stage: "None" }, after: { stage: "Staging" } });
        throw new Error("the change fails after its event was written");
      }),
    ).rejects.toThrow("the change fails");
    expect(await events(s.project.id)).toHaveLength(committed);
    expect(await db().webhookDelivery.count({ where: { webhookId: s.webhook.id } })).toBe(committed);

    await transitionModelVersionStage(s.access, s.modelName, 1, { stage: "Staging", archiveExisting: false });
    expect(await events(s.project.id)).toHaveLength(committed + 1);
    expect(await db().webhookDelivery.count({ where: { webhookId: s.webhook.id } })).toBe(committed + 1);
  });

  it("records a stage change, alias changes and a card save with their before and after", async () => {
    const s = await setup(hook.url);
    await addVersion(s);
    await addVersion(s);
    await transitionModelVersionStage(s.access, s.modelName, 1, { stage: "Staging", archiveExisting: false });
    await setModelAlias(s.access, s.modelName, "challenger", 1);
    await setModelAlias(s.access, s.modelName, "challenger", 2);
    await deleteModelAlias(s.access, s.modelName, "challenger");
    await saveModelCard(s.access, { modelName: s.modelName }, { baseRevision: 0, sections: { summary: "Hello" } });
    const recorded = (await events(s.project.id)).map((event) => {
      const payload = event.payload as unknown as WebhookPayload;
      return { kind: event.kind, version: payload.version, before: payload.before, after: payload.after };
    });
    expect(recorded.map((event) => event.kind)).toEqual([
      "version.created",
      "version.created",
      "stage.changed",
      "alias.changed",
      "alias.changed",
      "alias.changed",
      "card.changed",
    ]);
    expect(recorded[2]).toMatchObject({ version: 1, before: { stage: "None" }, after: { stage: "Staging" } });
    const champion = (version: number) => ({ alias: "challenger", version });
    expect(recorded.slice(3, 6).map(({ before, after }) => [before, after])).toEqual([
      [null, champion(1)],
      [champion(1), champion(2)],
      [champion(2), null],
    ]);
    expect(recorded[6]).toMatchObject({ version: null, after: { revision: 1 } });
    // Each went to the webhook subscribed to it.
    expect(await db().webhookDelivery.count({ where: { webhookId: s.webhook.id } })).toBe(7);
  });

  it("raises promotion.requested, then promotion.approved and stage.changed when the last approval moves the version", async () => {
    const s = await setup(hook.url, ["promotion.requested", "promotion.approved", "promotion.rejected", "stage.changed"]);
    await addVersion(s);
    const member = await addTestMember(s.project.id, "MEMBER");
    const request = await requestPromotion(await resolveProjectAccess(member, s.project.slug), {
      name: s.modelName,
      version: 1,
      target: { kind: "stage", stage: "Production" },
    });
    await decidePromotion(s.access, request.id, "APPROVE", "ship it");
    const recorded = (await events(s.project.id)).map((event) => ({ kind: event.kind, payload: event.payload as unknown as WebhookPayload }));
    // The outbox holds every event; only the subscribed ones get deliveries.
    // The approval and the move commit in one transaction: their order in the outbox is not defined.
    expect(recorded.map((event) => event.kind).sort()).toEqual(["promotion.approved", "promotion.requested", "stage.changed", "version.created"]);
    const of = (kind: string) => recorded.find((event) => event.kind === kind)!.payload;
    expect(of("promotion.requested").url).toMatch(new RegExp(`/projects/${s.project.slug}/requests/${request.id}$`));
    expect(of("promotion.approved").url).toMatch(new RegExp(`/projects/${s.project.slug}/requests/${request.id}$`));
    expect(of("stage.changed")).toMatchObject({ version: 1, after: { stage: "Production" } });
    expect(await db().webhookDelivery.count({ where: { webhookId: s.webhook.id } })).toBe(3);
  });

  it("creates deliveries only for subscribed, active webhooks", async () => {
    const s = await setup(hook.url, ["card.changed"]);
    await addVersion(s);
    expect(await events(s.project.id)).toHaveLength(1);
    expect(await db().webhookDelivery.count({ where: { webhookId: s.webhook.id } })).toBe(0);
  });
});

describe("managing webhooks", () => {
  it("never shows the secret again, and stores it encrypted", async () => {
    const s = await setup("http://127.0.0.1:9/never");
    expect(JSON.stringify(s.webhook)).not.toContain(SECRET);
    const [listed] = await callerFor(s.owner).webhooks.list({ projectSlug: s.project.slug });
    expect(listed).toEqual(s.webhook);
    expect(Object.keys(listed!)).not.toContain("secretEncrypted");
    const row = await db().webhook.findUniqueOrThrow({ where: { id: s.webhook.id } });
    expect(row.secretEncrypted).not.toContain(SECRET);
    expect(row.secretEncrypted).toMatch(/^v1:/);
    const audit = await db().auditEvent.findMany({ where: { projectId: s.project.id, resourceType: "webhook" } });
    expect(JSON.stringify(audit.map((event) => [event.before, event.after]))).not.toContain(SECRET);
  });

  it("lets maintainers and owners manage webhooks, and refuses members and viewers", async () => {
    const s = await setup("http://127.0.0.1:9/never");
    const maintainer = await addTestMember(s.project.id, "MAINTAINER");
    const updated = await callerFor(maintainer).webhooks.update({
      projectSlug: s.project.slug,
      webhookId: s.webhook.id,
      changes: { name: "renamed", events: ["promotion.approved"], secret: "a-brand-new-secret-value" },
    });
    expect(updated).toMatchObject({ name: "renamed", events: ["promotion.approved"] });
    for (const role of ["MEMBER", "VIEWER"] as const) {
      const user = await addTestMember(s.project.id, role);
      const webhooks = callerFor(user).webhooks;
      const ref = { projectSlug: s.project.slug, webhookId: s.webhook.id };
      for (const attempt of [
        () => webhooks.list({ projectSlug: s.project.slug }),
        () => webhooks.create({ projectSlug: s.project.slug, name: "x", url: "http://127.0.0.1:9/", secret: SECRET, events: ["version.created"] }),
        () => webhooks.update({ ...ref, changes: { active: false } }),
        () => webhooks.delete(ref),
        () => webhooks.deliveries(ref),
        () => webhooks.sendTest(ref),
      ]) {
        expect((await trpcErrorOf(attempt())).code).toBe("FORBIDDEN");
      }
    }
    await callerFor(maintainer).webhooks.delete({ projectSlug: s.project.slug, webhookId: s.webhook.id });
    expect(await callerFor(s.owner).webhooks.list({ projectSlug: s.project.slug })).toEqual([]);
  });

  it("refuses bad input with a clear error and changes nothing", async () => {
    const s = await setup("http://127.0.0.1:9/never");
    const webhooks = callerFor(s.owner).webhooks;
    const base = { projectSlug: s.project.slug, name: "x", secret: SECRET, events: ["version.created" as const] };
    expect(await trpcErrorOf(webhooks.create({ ...base, url: "ftp://example.com/" }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("http://") });
    expect(await trpcErrorOf(webhooks.create({ ...base, url: "not a url" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await trpcErrorOf(webhooks.create({ ...base, url: "http://127.0.0.1/", secret: "short" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await trpcErrorOf(webhooks.create({ ...base, url: "http://127.0.0.1/", events: [] }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await webhooks.list({ projectSlug: s.project.slug })).toHaveLength(1);
  });
});
