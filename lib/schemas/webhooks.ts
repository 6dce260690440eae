import { z } from "zod";
import { WEBHOOK_EVENT_KINDS, WEBHOOK_FORMATS } from "../webhook-events";
import { projectRef } from "./projects";

export const WEBHOOK_SECRET_MIN = 16;

const name = z.string().trim().min(1, "Name is required").max(100, "Name must be at most 100 characters");
const url = z.string().trim().min(1, "URL is required").max(2000, "URL must be at most 2000 characters");
const secret = z
  .string()
  .min(WEBHOOK_SECRET_MIN, `The secret must be at least ${WEBHOOK_SECRET_MIN} characters`)
  .max(200, "The secret must be at most 200 characters");
const events = z
  .array(z.enum(WEBHOOK_EVENT_KINDS))
  .min(1, "Choose at least one event")
  .transform((kinds) => [...new Set(kinds)]);

export const webhookFields = z.object({ name, url, secret, events, format: z.enum(WEBHOOK_FORMATS).default("tally"), active: z.boolean().default(true) });
export type WebhookFields = z.infer<typeof webhookFields>;

/** An edit: the secret only when it is replaced (it is never shown, so it cannot be "kept as shown"). */
export const webhookChanges = z.object({
  name: name.optional(),
  url: url.optional(),
  secret: secret.optional(),
  events: events.optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
  active: z.boolean().optional(),
});
export type WebhookChanges = z.infer<typeof webhookChanges>;

export const webhookRef = projectRef.extend({ webhookId: z.string().min(1).max(64) });
export const createWebhookInput = projectRef.extend(webhookFields.shape);
export const updateWebhookInput = webhookRef.extend({ changes: webhookChanges });
export const deliveriesInput = webhookRef.extend({
  /** id of the last delivery of the previous page (newest first). */
  cursor: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export const deliveryRef = projectRef.extend({ deliveryId: z.string().min(1).max(64) });
