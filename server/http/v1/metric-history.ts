import { z } from "zod";
import { json } from "@/lib/openapi/operation";
import { metricHistoryAnswer } from "@/lib/schemas/api-answers";
import { apiOperation } from "../api-operation";
import { getDownsampledHistory } from "@/server/services/runs";

export const GET = apiOperation({
  operationId: "getMetricHistory",
  method: "GET",
  path: "/runs/{runId}/metric-history",
  summary: "A metric's history, downsampled",
  description:
    "A metric's history reduced in the database to at most `buckets` buckets over the step range, each with " +
    "min, max and last value: what charts draw instead of millions of raw points. The run is one of the token's project.",
  tag: "Runs",
  auth: "token",
  params: z.object({ runId: z.string().min(1).max(256) }),
  query: z.object({
    key: z.string({ error: "key is required" }).min(1).max(250).meta({ description: "The metric's key" }),
    buckets: z.coerce.number().int().min(1).max(5000).default(1000).meta({ description: "At most this many buckets" }),
  }),
  answers: { 200: { description: "The buckets, in step order (none when the run never logged the key).", content: json(metricHistoryAnswer) } },
}).handle(async ({ access, params, query }) => {
  const series = await getDownsampledHistory(access, { runId: params.runId, key: query.key, buckets: query.buckets });
  return { status: 200, body: { run_id: params.runId, key: query.key, buckets: series } };
});
