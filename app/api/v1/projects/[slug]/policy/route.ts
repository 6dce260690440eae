import { policyRoute } from "@/server/http/policy";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/** The project's approval policy as YAML, or JSON with `Accept: application/json` (docs/approval-policy.md). */
export async function GET(request: Request, context: Context) {
  return policyRoute(request, (await context.params).slug);
}

/** Replaces the policy (owners, signed in); `If-Match: "<revision>"` guards against overwriting a newer one. */
export async function PUT(request: Request, context: Context) {
  return policyRoute(request, (await context.params).slug);
}
