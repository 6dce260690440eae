import { AppError, badInput, conflict, notFound } from "@/lib/errors";
import type { WebhookDeliveredKind, WebhookDeliveryStatus, WebhookEventKind, WebhookFormat } from "@/lib/webhook-events";
import type { WebhookChanges, WebhookFields } from "@/lib/schemas/webhooks";
import { config } from "@/server/config";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { actorLabel, assertScope, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";
import { enqueuePing } from "./outbox";
import { sealSecret } from "./secret-box";
import { vetWebhookTarget } from "./target-guard";

/** A webhook as shown: never its secret, which is write-only after creation. */
export interface WebhookView {
  id: string;
  name: string;
  url: string;
  events: WebhookEventKind[];
  format: WebhookFormat;
  active: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryAttemptView {
  attemptedAt: Date;
  responseCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  kind: WebhookDeliveredKind;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastResponseCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  createdAt: Date;
  updatedAt: Date;
  /** Every attempt, newest first. */
  log: DeliveryAttemptView[];
}

type WebhookRow = Awaited<ReturnType<Tx["webhook"]["findFirstOrThrow"]>>;

function view(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: row.events as WebhookEventKind[],
    format: row.format as WebhookFormat,
    active: row.active,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** What the audit log keeps of a webhook: never the secret. */
const audited = (webhook: WebhookView) => ({ name: webhook.name, url: webhook.url, events: webhook.events, format: webhook.format, active: webhook.active });

/** The save-time check of the target (it is checked again before every delivery). */
async function checkTarget(url: string): Promise<void> {
  try {
    await vetWebhookTarget(url, config().TALLY_WEBHOOK_ALLOW_PRIVATE);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw badInput(error instanceof Error ? error.message : String(error));
  }
}

async function findWebhook(tx: Tx, access: ProjectAccess, webhookId: string): Promise<WebhookRow> {
  const row = await tx.webhook.findFirst({ where: { id: webhookId, projectId: access.project.id } });
  if (!row) throw notFound(`Webhook ${webhookId} not found in project "${access.project.slug}"`);
  return row;
}

export async function listWebhooks(access: ProjectAccess): Promise<WebhookView[]> {
  assertScope(access, "webhooks:manage");
  const rows = await db().webhook.findMany({ where: { projectId: access.project.id }, orderBy: { createdAt: "asc" } });
  return rows.map(view);
}

export async function createWebhook(access: ProjectAccess, input: WebhookFields): Promise<WebhookView> {
  assertScope(access, "webhooks:manage");
  await checkTarget(input.url);
  return transaction(async (tx) => {
    const webhook = view(
      await tx.webhook.create({
        data: {
          projectId: access.project.id,
          name: input.name,
          url: input.url,
          secretEncrypted: sealSecret(input.secret),
          events: input.events,
          format: input.format,
          active: input.active,
          createdBy: actorLabel(access.actor),
        },
      }),
    );
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "webhook.create",
      resourceType: "webhook",
      resourceId: webhook.id,
      actorRole: access.roleSnapshot,
      after: audited(webhook),
    });
    return webhook;
  });
}

export async function updateWebhook(access: ProjectAccess, webhookId: string, changes: WebhookChanges): Promise<WebhookView> {
  assertScope(access, "webhooks:manage");
  if (changes.url !== undefined) await checkTarget(changes.url);
  return transaction(async (tx) => {
    const before = view(await findWebhook(tx, access, webhookId));
    const after = view(
      await tx.webhook.update({
        where: { id: webhookId },
        data: {
          name: changes.name,
          url: changes.url,
          events: changes.events,
          format: changes.format,
          active: changes.active,
          ...(changes.secret === undefined ? {} : { secretEncrypted: sealSecret(changes.secret) }),
        },
      }),
    );
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "webhook.update",
      resourceType: "webhook",
      resourceId: webhookId,
      actorRole: access.roleSnapshot,
      before: audited(before),
      after: { ...audited(after), ...(changes.secret === undefined ? {} : { secret: "replaced" }) },
    });
    return after;
  });
}

/** Deletes the webhook with its deliveries and their log. */
export async function deleteWebhook(access: ProjectAccess, webhookId: string): Promise<void> {
  assertScope(access, "webhooks:manage");
  await transaction(async (tx) => {
    const before = view(await findWebhook(tx, access, webhookId));
    await tx.webhook.delete({ where: { id: webhookId } });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "webhook.delete",
      resourceType: "webhook",
      resourceId: webhookId,
      actorRole: access.roleSnapshot,
      before: audited(before),
    });
  });
}

/** A page of the webhook's deliveries, newest first, each with its attempts. */
export async function listDeliveries(
  access: ProjectAccess,
  webhookId: string,
  page: { cursor?: string; limit: number },
): Promise<{ deliveries: DeliveryView[]; nextCursor: string | null }> {
  assertScope(access, "webhooks:manage");
  await findWebhook(db(), access, webhookId);
  const rows = await db().webhookDelivery.findMany({
    where: { webhookId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    include: {
      event: { select: { kind: true } },
      log: { orderBy: { id: "desc" }, select: { attemptedAt: true, responseCode: true, durationMs: true, error: true } },
    },
  });
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  return {
    deliveries: shown.map((row) => ({
      id: row.id,
      eventId: row.eventId,
      kind: row.event.kind as WebhookDeliveredKind,
      status: row.status as WebhookDeliveryStatus,
      attempts: row.attempts,
      nextAttemptAt: row.status === "pending" ? row.nextAttemptAt : null,
      lastResponseCode: row.lastResponseCode,
      lastError: row.lastError,
      lastDurationMs: row.lastDurationMs,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      log: row.log,
    })),
    nextCursor: more ? shown[shown.length - 1]!.id : null,
  };
}

function assertActive(webhook: WebhookRow): void {
  if (!webhook.active) throw badInput(`Webhook "${webhook.name}" is inactive: activate it first`);
}

/** "Send test event": a `ping` delivery to this webhook only, sent by the worker within a second or so. */
export async function sendTestEvent(access: ProjectAccess, webhookId: string): Promise<{ eventId: string }> {
  assertScope(access, "webhooks:manage");
  return transaction(async (tx) => {
    const webhook = await findWebhook(tx, access, webhookId);
    assertActive(webhook);
    const eventId = await enqueuePing(tx, access, webhookId);
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "webhook.test",
      resourceType: "webhook",
      resourceId: webhookId,
      actorRole: access.roleSnapshot,
      after: { eventId },
    });
    return { eventId };
  });
}

/** "Redeliver": the delivery becomes due now, for one more attempt (the log keeps the earlier ones). */
export async function redeliver(access: ProjectAccess, deliveryId: string, now = new Date()): Promise<void> {
  assertScope(access, "webhooks:manage");
  await transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.findFirst({
      where: { id: deliveryId, webhook: { projectId: access.project.id } },
      include: { webhook: true },
    });
    if (!delivery) throw notFound(`Delivery ${deliveryId} not found in project "${access.project.slug}"`);
    assertActive(delivery.webhook);
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: deliveryId, OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lte: now } }] },
      data: { status: "pending", nextAttemptAt: now, updatedAt: now },
    });
    if (count === 0) throw conflict("This delivery is being sent right now; look again in a few seconds");
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "webhook.redeliver",
      resourceType: "webhook",
      resourceId: delivery.webhookId,
      actorRole: access.roleSnapshot,
      before: { deliveryId, status: delivery.status, attempts: delivery.attempts },
    });
  });
}
