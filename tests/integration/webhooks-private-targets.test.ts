import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { processDueDeliveries } from "@/server/services/webhooks";
import { callerFor, createTestProject, trpcErrorOf } from "../factories";
import { startWebhookReceiver } from "../support/webhook-receiver";

/**
 * Without TALLY_WEBHOOK_ALLOW_PRIVATE (the default), webhooks may not reach loopback, private or
 * link-local addresses: refused when saved, and again when a delivery is due.
 */
delete process.env.TALLY_WEBHOOK_ALLOW_PRIVATE;

const SECRET = "whsec-0123456789abcdef";
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  hook = await startWebhookReceiver();
});
afterAll(() => hook.close());

describe("private webhook targets", () => {
  it.each([
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://[::1]/hook",
    "http://10.1.2.3/hook",
    "http://172.20.0.5/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:a00:1]/hook",
    "http://[64:ff9b::a9fe:a9fe]/hook",
    "http://[2002:c0a8:101::1]/hook",
    "http://[::a00:1]/hook",
    "http://[fd00::1]/hook",
    "http://[fe80::1]/hook",
    "http://224.0.0.1/hook",
    "http://2130706433/hook",
  ])("refuses %s when the webhook is saved", async (url) => {
    const { project, owner } = await createTestProject();
    const refused = await trpcErrorOf(
      callerFor(owner).webhooks.create({ projectSlug: project.slug, name: "internal", url, secret: SECRET, events: ["version.created"] }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("TALLY_WEBHOOK_ALLOW_PRIVATE=true");
    expect(await db().webhook.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("accepts a public address", async () => {
    const { project, owner } = await createTestProject();
    const webhook = await callerFor(owner).webhooks.create({
      projectSlug: project.slug,
      name: "public",
      url: "https://93.184.215.14/hook",
      secret: SECRET,
      events: ["version.created"],
    });
    expect(webhook.url).toBe("https://93.184.215.14/hook");
    // Moving an existing webhook onto a private address is refused the same way.
    const refused = await trpcErrorOf(
      callerFor(owner).webhooks.update({ projectSlug: project.slug, webhookId: webhook.id, changes: { url: hook.url } }),
    );
    expect(refused).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("127.0.0.1") });
  });

  it("refuses again at delivery: a target that became private is never contacted", async () => {
    const { project, owner } = await createTestProject();
    const webhook = await callerFor(owner).webhooks.create({
      projectSlug: project.slug,
      name: "public",
      url: "https://93.184.215.14/hook",
      secret: SECRET,
      events: ["version.created"],
    });
    // As if the address had been allowed when it was saved, or its name now resolved to a private one.
    await db().webhook.update({ where: { id: webhook.id }, data: { url: hook.url } });
    await callerFor(owner).webhooks.sendTest({ projectSlug: project.slug, webhookId: webhook.id });
    expect(await processDueDeliveries({ webhookIds: [webhook.id] })).toBe(1);
    const [delivery] = (await callerFor(owner).webhooks.deliveries({ projectSlug: project.slug, webhookId: webhook.id })).deliveries;
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastResponseCode: null, lastError: expect.stringContaining("TALLY_WEBHOOK_ALLOW_PRIVATE") });
    expect(hook.received).toEqual([]);
  });
});
