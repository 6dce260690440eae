import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { metrics } from "@/server/observability/metrics";
import { refreshBackgroundJobLag } from "@/server/services/operations";
import { processDueDeliveries } from "@/server/services/webhooks";
import { callerFor, createTestProject } from "../factories";
import { withEmptyDatabase } from "../support/databases";
import { startWebhookReceiver } from "../support/webhook-receiver";

// The receivers listen on 127.0.0.1 (the refusal of private targets is tested in webhooks-private-targets.test.ts).
process.env.TALLY_WEBHOOK_ALLOW_PRIVATE = "true";

const receivers: Awaited<ReturnType<typeof startWebhookReceiver>>[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

/** A project with a webhook on a receiver answering `statuses`, and a test event waiting to be delivered. */
async function pendingPing(statuses: number[]) {
  const receiver = await startWebhookReceiver(statuses);
  receivers.push(receiver);
  const { project, owner } = await createTestProject();
  const webhook = await callerFor(owner).webhooks.create({
    projectSlug: project.slug,
    name: "ops",
    url: receiver.url,
    secret: "whsec-0123456789abcdef",
    events: ["version.created"],
  });
  await callerFor(owner).webhooks.sendTest({ projectSlug: project.slug, webhookId: webhook.id });
  const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
  return { webhookId: webhook.id, dueAt: delivery.nextAttemptAt };
}

async function failures(outcome: "retry" | "failed"): Promise<number> {
  const { values } = await metrics().webhookFailures.get();
  return values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
}

async function lag(kind: string): Promise<number | undefined> {
  const { values } = await metrics().jobLag.get();
  return values.find((value) => value.labels.kind === kind)?.value;
}

describe("background work metrics", () => {
  it("count failed webhook deliveries: attempts that will be retried, and deliveries given up", async () => {
    const { webhookId, dueAt } = await pendingPing([503, 404]);
    const [retriesBefore, failedBefore] = [await failures("retry"), await failures("failed")];

    await processDueDeliveries({ webhookIds: [webhookId], now: dueAt });
    expect([await failures("retry"), await failures("failed")]).toEqual([retriesBefore + 1, failedBefore]);

    const retry = await db().webhookDelivery.findFirstOrThrow({ where: { webhookId } });
    await processDueDeliveries({ webhookIds: [webhookId], now: retry.nextAttemptAt });
    expect([await failures("retry"), await failures("failed")]).toEqual([retriesBefore + 1, failedBefore + 1]);
  });

  it("report how long the oldest due job of each kind has waited, and 0 when none is due", async () => {
    await withEmptyDatabase(async () => {
      await refreshBackgroundJobLag();
      expect([await lag("webhook_delivery"), await lag("promotion_request_expiry")]).toEqual([0, 0]);

      const { dueAt } = await pendingPing([200]);
      await refreshBackgroundJobLag(new Date(dueAt.getTime() + 90_000));
      expect(await lag("webhook_delivery")).toBeCloseTo(90, 1);
      expect(await lag("promotion_request_expiry")).toBe(0);
    });
  });
});
