import { metrics } from "@/server/observability/metrics";
import { logger } from "@/server/observability/logger";
import { expiryLagSeconds } from "../promotions";
import { deliveryLagSeconds } from "../webhooks";

/** Every kind of background work and how to measure its lag (the `kind` label of the metric). */
const KINDS: Record<string, (now: Date) => Promise<number>> = {
  webhook_delivery: deliveryLagSeconds,
  promotion_request_expiry: expiryLagSeconds,
};

/**
 * Measures the lag of each kind of background work into its gauge. The queues live in the shared
 * database, so every replica reports the same values, whether or not it runs the work itself. A kind
 * that cannot be measured (the database is down) is left out rather than reported as 0.
 */
export async function refreshBackgroundJobLag(now = new Date()): Promise<void> {
  const gauge = metrics().jobLag;
  await Promise.all(
    Object.entries(KINDS).map(async ([kind, lag]) => {
      try {
        gauge.set({ kind }, await lag(now));
      } catch (error) {
        gauge.remove({ kind });
        logger().warn({ err: error, kind }, "Background job lag could not be measured");
      }
    }),
  );
}
