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
  list: projectProcedure().query(({ ctx }) => listWebhooks(ctx.access)),
  create: projectProcedure()
    .input(createWebhookInput)
    .mutation(({ ctx, input }) => createWebhook(ctx.access, input)),
  update: projectProcedure()
    .input(updateWebhookInput)
    .mutation(({ ctx, input }) => updateWebhook(ctx.access, input.webhookId, input.changes)),
  delete: projectProcedure()
    .input(webhookRef)
    .mutation(({ ctx, input }) => deleteWebhook(ctx.access, input.webhookId)),
  deliveries: projectProcedure()
    .input(deliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.access, input.webhookId, { cursor: input.cursor, limit: input.limit })),
  sendTest: projectProcedure()
    .input(webhookRef)
    .mutation(({ ctx, input }) => sendTestEvent(ctx.access, input.webhookId)),
  redeliver: projectProcedure()
    .input(deliveryRef)
    .mutation(({ ctx, input }) => redeliver(ctx.access, input.deliveryId)),
});
