import { logger } from "./logger";
import { metrics } from "./metrics";
import type { RequestContext } from "./request-context";

export interface AnsweredRequest {
  method: string;
  status: number;
  seconds: number;
  /** The client went away before the whole answer was sent. */
  aborted: boolean;
  /** Probes and scrapes that succeeded: logged only at debug level, as load balancers send them every few seconds. */
  routine: boolean;
  /** Served by Tally's HTTP server itself on the lean API path, not by Next.js (server/runtime/lean-api.ts). */
  lean: boolean;
}

/** Counts and times a request by route family and status class, and writes its log line. */
export function recordRequest(context: RequestContext, answered: AnsweredRequest): void {
  const labels = { family: context.family, status: `${Math.floor(answered.status / 100)}xx` };
  metrics().httpRequests.inc(labels);
  metrics().httpDuration.observe(labels, answered.seconds);
  const line = {
    requestId: context.requestId,
    method: answered.method,
    family: context.family,
    status: answered.status,
    ms: Math.round(answered.seconds * 10_000) / 10,
    ...(context.project ? { project: context.project } : {}),
    ...(answered.aborted ? { aborted: true } : {}),
    ...(answered.lean ? { lean: true } : {}),
  };
  if (answered.routine && answered.status < 400) logger().debug(line, "request");
  else logger().info(line, "request");
}
