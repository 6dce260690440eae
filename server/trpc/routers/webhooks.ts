import { createWebhookInput, deliveriesInput, deliveryRef, updateWebhookInput, webhookRef } from "@/lib/schemas/webhooks";
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  sendTestEvent,
  updateWebhook,
} from "../../services/webhooks";
import { projectProcedure, router } from "../init";

export const webhooksRouter = router({
  list: projectProcedure("webhooks:manage").query(({ ctx }) => listWebhooks(ctx.access)),
  create: projectProcedure("webhooks:manage")
    .input(createWebhookInput)
    .mutation(({ ctx, input }) => createWebhook(ctx.access, input)),
  update: projectProcedure("webhooks:manage")
    .input(updateWebhookInput)
    .mutation(({ ctx, input }) => updateWebhook(ctx.access, input.webhookId, input.changes)),
  delete: projectProcedure("webhooks:manage")
    .input(webhookRef)
    .mutation(({ ctx, input }) => deleteWebhook(ctx.access, input.webhookId)),
  deliveries: projectProcedure("webhooks:manage")
    .input(deliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.access, input.webhookId, { cursor: input.cursor, limit: input.limit })),
  sendTest: projectProcedure("webhooks:manage")
    .input(webhookRef)
    .mutation(({ ctx, input }) => sendTestEvent(ctx.access, input.webhookId)),
  redeliver: projectProcedure("webhooks:manage")
    .input(deliveryRef)
    .mutation(({ ctx, input }) => redeliver(ctx.access, input.deliveryId)),
});
