import { randomUUID } from "node:crypto";
import { webhookKindOfRegistryEvent, type WebhookDeliveredKind, type WebhookEventKind } from "@/lib/webhook-events";
import type { RegistryEventKind } from "@/lib/model-registry-states";
import type { Tx } from "@/server/db/transaction";
import { actorLabel, type ProjectAccess } from "../access";
import { objectUrl, requestUrl, type WebhookPayload } from "./payload";

export interface WebhookEventInput {
  kind: WebhookEventKind;
  projectSlug: string;
  modelName: string | null;
  version?: number | null;
  actor: string;
  before?: unknown;
  after?: unknown;
  /** The object's page in the web app; by default the model's or the version's page. */
  url?: string;
}

const json = (value: unknown) => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown));

function payloadOf(id: string, kind: WebhookDeliveredKind, event: Omit<WebhookEventInput, "kind">, time: Date): WebhookPayload {
  const version = event.version ?? null;
  return {
    id,
    kind,
    time: time.toISOString(),
    project: { slug: event.projectSlug },
    model: event.modelName === null ? null : { name: event.modelName },
    version,
    actor: event.actor,
    before: json(event.before),
    after: json(event.after),
    url: event.url ?? objectUrl(event.projectSlug, event.modelName, version),
  };
}

async function writeEvent(tx: Tx, projectId: string, payload: WebhookPayload, webhookIds: string[], time: Date) {
  await tx.webhookEvent.create({
    data: { id: payload.id, projectId, kind: payload.kind, payload: payload as object, createdAt: time },
  });
  if (webhookIds.length) {
    await tx.webhookDelivery.createMany({
      data: webhookIds.map((webhookId) => ({ webhookId, eventId: payload.id, nextAttemptAt: time, createdAt: time, updatedAt: time })),
    });
  }
}

/**
 * Puts an event in the outbox, with a pending delivery for every active webhook of the project
 * subscribed to its kind, in the caller's transaction: if the change rolls back, nothing is sent;
 * once it commits, the deliveries survive a crash and the worker sends them. Sending never happens
 * here, so it adds nothing to the latency of the request that made the change.
 */
export async function enqueueWebhookEvent(tx: Tx, projectId: string, event: WebhookEventInput): Promise<string> {
  const time = new Date();
  const webhooks = await tx.webhook.findMany({
    where: { projectId, active: true, events: { has: event.kind } },
    select: { id: true },
  });
  const payload = payloadOf(randomUUID(), event.kind, event, time);
  await writeEvent(tx, projectId, payload, webhooks.map((webhook) => webhook.id), time);
  return payload.id;
}

/** The webhook event of a registry change (version created, stage changed, alias set/moved/deleted, card saved). */
export async function enqueueRegistryWebhookEvent(
  tx: Tx,
  access: ProjectAccess,
  change: { kind: RegistryEventKind; model: { name: string }; version?: number; before?: unknown; after?: unknown; requestId?: string },
): Promise<void> {
  const kind = webhookKindOfRegistryEvent(change.kind, change.after);
  if (!kind) return;
  await enqueueWebhookEvent(tx, access.project.id, {
    kind,
    projectSlug: access.project.slug,
    modelName: change.model.name,
    version: change.version ?? null,
    actor: actorLabel(access.actor),
    before: change.before,
    after: change.after,
    // A promotion's event links to its request.
    ...(kind.startsWith("promotion.") && change.requestId ? { url: requestUrl(access.project.slug, change.requestId) } : {}),
  });
}

/** The "send test event": a `ping` to one webhook only. */
export async function enqueuePing(tx: Tx, access: ProjectAccess, webhookId: string): Promise<string> {
  const time = new Date();
  const payload = payloadOf(randomUUID(), "ping", { projectSlug: access.project.slug, modelName: null, actor: actorLabel(access.actor) }, time);
  await writeEvent(tx, access.project.id, payload, [webhookId], time);
  return payload.id;
}
