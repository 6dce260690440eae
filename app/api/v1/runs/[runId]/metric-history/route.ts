import { z } from "zod";
import { jsonResponse } from "@/server/http/json";
import { withApiToken } from "@/server/http/with-api-token";
import { getDownsampledHistory } from "@/server/services/runs";

export const dynamic = "force-dynamic";

const query = z.object({
  key: z.string({ error: "key is required" }).min(1).max(250),
  buckets: z.coerce.number().int().min(1).max(5000).default(1000),
});

/**
 * A metric's history reduced in the database to at most `buckets` buckets over the step range, each
 * with min, max and last value: what charts draw instead of millions of raw points.
 */
export async function GET(request: Request, context: { params: Promise<{ runId: string }> }) {
  const { runId } = await context.params;
  return withApiToken(async (req, { access }) => {
    const { key, buckets } = query.parse(Object.fromEntries(new URL(req.url).searchParams));
    const series = await getDownsampledHistory(access, { runId, key, buckets });
    return jsonResponse({ run_id: runId, key, buckets: series }, { headers: { "cache-control": "no-store" } });
  })(request);
}
