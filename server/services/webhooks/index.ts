export {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  sendTestEvent,
  updateWebhook,
  type DeliveryView,
  type WebhookView,
} from "./webhooks";
export { enqueueRegistryWebhookEvent, enqueueWebhookEvent, type WebhookEventInput } from "./outbox";
export { deliveryLagSeconds, processDueDeliveries, startWebhookWorker, type ProcessOptions } from "./worker";
export type { WebhookPayload } from "./payload";
