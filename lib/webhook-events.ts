import type { RegistryEventKind } from "./model-registry-states";

/**
 * What a webhook can subscribe to. Registry changes map onto these (see `webhookKindOfRegistryEvent`);
 * the promotion kinds come from the promotion-request flow. `ping` is the "send test event" and goes
 * only to the webhook it was sent from, so it is never subscribed.
 */
export const WEBHOOK_EVENT_KINDS = [
  "version.created",
  "promotion.requested",
  "promotion.approved",
  "promotion.rejected",
  "promotion.expired",
  "stage.changed",
  "alias.changed",
  "card.changed",
] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];
export type WebhookDeliveredKind = WebhookEventKind | "ping";

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventKind, string> = {
  "version.created": "Version created",
  "promotion.requested": "Promotion requested",
  "promotion.approved": "Promotion approved",
  "promotion.rejected": "Promotion rejected",
  "promotion.expired": "Promotion expired",
  "stage.changed": "Stage changed",
  "alias.changed": "Alias changed",
  "card.changed": "Model card changed",
};

export const WEBHOOK_FORMATS = ["tally", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A delivery waits (pending, also between retries), then succeeded or failed for good. */
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

const REGISTRY_TO_WEBHOOK: Partial<Record<RegistryEventKind, WebhookEventKind>> = {
  "version.create": "version.created",
  "version.stage": "stage.changed",
  "alias.set": "alias.changed",
  "alias.delete": "alias.changed",
  "card.update": "card.changed",
  "promotion.request": "promotion.requested",
  "promotion.approve": "promotion.approved",
  "promotion.reject": "promotion.rejected",
  "promotion.expire": "promotion.expired",
};

/**
 * The webhook event a registry change raises, if any (tags, descriptions and renames raise none). An
 * approval raises `promotion.approved` only when it is the last one the request needed.
 */
export function webhookKindOfRegistryEvent(kind: RegistryEventKind, after?: unknown): WebhookEventKind | undefined {
  if (kind === "promotion.approve") {
    const count = (after ?? {}) as { approvals?: number; required?: number };
    if ((count.approvals ?? 0) < (count.required ?? 1)) return undefined;
  }
  return REGISTRY_TO_WEBHOOK[kind];
}
