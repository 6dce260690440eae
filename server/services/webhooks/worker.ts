import { AppError } from "@/lib/errors";
import type { WebhookFormat } from "@/lib/webhook-events";
import { config } from "@/server/config";
import { db } from "@/server/db/client";
import { claimDue, lagSeconds, startBackgroundLoop, workerId, type BackgroundLoop, type LeasedTable } from "../jobs";
import { metrics } from "@/server/observability/metrics";
import { deliveryBody, type WebhookPayload } from "./payload";
import { nextAttemptAfter } from "./schedule";
import { openSecret } from "./secret-box";
import { DELIVERY_TIMEOUT_MS, postJson, type SendResult } from "./sender";
import { signatureHeader } from "./signature";
import { vetWebhookTarget } from "./target-guard";

/** Pending deliveries of active webhooks; the claim walks the (status, nextAttemptAt) index. */
const DELIVERIES: LeasedTable = {
  table: "WebhookDelivery",
  dueColumn: "nextAttemptAt",
  ready: `"status" = 'pending' AND "webhookId" IN (SELECT "id" FROM "Webhook" WHERE "active")`,
};
/** Longer than a delivery can take (10 s timeout plus DNS and bookkeeping), so a live claim never lapses. */
const LEASE_MS = 6 * DELIVERY_TIMEOUT_MS;
const BATCH = 20;
const POLL_MS = 1_000;

export interface ProcessOptions {
  /** The time the claim and the retry schedule go by (tests pass their own). */
  now?: Date;
  /** This process's claim name; `workerId()` by default. */
  owner?: string;
  limit?: number;
  /** Only these webhooks' deliveries (other processes may be working on the same database). */
  webhookIds?: string[];
}

/**
 * One pass of the delivery worker: claims the due deliveries no one else holds, sends them at once
 * and records each attempt. Returns how many were attempted.
 */
export async function processDueDeliveries(options: ProcessOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const owner = options.owner ?? workerId();
  const ids = await claimDue(DELIVERIES, {
    owner,
    now,
    leaseMs: LEASE_MS,
    limit: options.limit ?? BATCH,
    only: options.webhookIds ? { column: "webhookId", values: options.webhookIds } : undefined,
  });
  // Each delivery runs to its end even when another one's bookkeeping fails (its lease then lapses
  // and it is sent again later); the first such failure is reported once all are done.
  const results = await Promise.allSettled(ids.map((id) => deliver(id, owner, now)));
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  return ids.length;
}

async function deliver(id: string, owner: string, now: Date): Promise<void> {
  const delivery = await db().webhookDelivery.findUnique({
    where: { id },
    include: { webhook: true, event: { select: { payload: true } } },
  });
  if (!delivery || delivery.leaseOwner !== owner) return;
  const attempt = delivery.attempts + 1;
  const result = await attemptDelivery(delivery.id, delivery.webhook, delivery.event.payload as unknown as WebhookPayload, now);
  const succeeded = result.responseCode !== null && result.responseCode >= 200 && result.responseCode < 300;
  // A guard refusal or a bad secret will not fix itself: those fail at once, like a 4xx.
  const next = succeeded || result.final ? null : nextAttemptAfter(attempt, now, result.responseCode);
  if (!succeeded) metrics().webhookFailures.inc({ outcome: next ? "retry" : "failed" });
  await db().$transaction([
    db().webhookAttempt.create({
      data: { deliveryId: id, attemptedAt: now, responseCode: result.responseCode, durationMs: result.durationMs, error: result.error },
    }),
    db().webhookDelivery.updateMany({
      where: { id, leaseOwner: owner },
      data: {
        status: succeeded ? "succeeded" : next ? "pending" : "failed",
        attempts: attempt,
        nextAttemptAt: next ?? now,
        leaseOwner: null,
        leaseExpiresAt: null,
        lastResponseCode: result.responseCode,
        lastError: result.error,
        lastDurationMs: result.durationMs,
        updatedAt: now,
      },
    }),
  ]);
}

async function attemptDelivery(
  deliveryId: string,
  webhook: { url: string; secretEncrypted: string; format: string },
  payload: WebhookPayload,
  now: Date,
): Promise<SendResult & { final?: true }> {
  const started = performance.now();
  const failed = (error: unknown, final?: true) => ({
    responseCode: null,
    durationMs: Math.round(performance.now() - started),
    error: error instanceof Error ? error.message : String(error),
    ...(final ? { final } : {}),
  });
  let secret: string;
  try {
    secret = openSecret(webhook.secretEncrypted);
  } catch (error) {
    return failed(error, true);
  }
  let target;
  try {
    target = await vetWebhookTarget(webhook.url, config().TALLY_WEBHOOK_ALLOW_PRIVATE);
  } catch (error) {
    return failed(error, error instanceof AppError ? true : undefined);
  }
  const body = deliveryBody(webhook.format as WebhookFormat, payload);
  const timestamp = Math.floor(now.getTime() / 1000);
  return postJson(
    target,
    {
      "x-tally-event": payload.kind,
      "x-tally-delivery": deliveryId,
      "x-tally-timestamp": String(timestamp),
      "x-tally-signature": signatureHeader(secret, timestamp, body),
    },
    body,
  );
}

/** The worker inside the app process: a pass every second. Safe to run in every replica. */
export function startWebhookWorker(): BackgroundLoop {
  const owner = workerId();
  return startBackgroundLoop("webhook deliveries", POLL_MS, () => processDueDeliveries({ owner }));
}

/** How long the longest-waiting due delivery has been due, in seconds. */
export function deliveryLagSeconds(now: Date = new Date()): Promise<number> {
  return lagSeconds(DELIVERIES, now);
}
