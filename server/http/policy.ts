import { badInput } from "@/lib/errors";
import { policyIfMatch } from "@/lib/schemas/policy";
import { resolveProjectAccess, type Actor } from "../services/access";
import { getPolicy, MAX_POLICY_YAML_LENGTH, PolicyRefused, policyDocument, updatePolicy, type StoredPolicy } from "../services/policy";
import { apiError, errorResponse } from "./api-error";
import { readBodyWithin } from "./body";
import { isCrossSite, recordCrossSiteRefusal } from "./cross-site";

/**
 * `GET/PUT /api/v1/projects/<slug>/policy`: the approval policy as YAML (default) or JSON (`Accept:
 * application/json`). PUT takes either; `If-Match: "<revision>"` makes it refuse (409) when the policy
 * changed since that revision. Reading needs project:read; changing it needs policy:manage, which only
 * owners have: API tokens never do. `actor` is a verified token or the session's user.
 */
export async function servePolicy(request: Request, slug: string, actor: Actor): Promise<Response> {
  try {
    if (request.method === "GET") {
      const access = await resolveProjectAccess(actor, slug);
      return policyResponse(request, await getPolicy(access));
    }
    return await putPolicy(request, slug, actor);
  } catch (error) {
    if (error instanceof PolicyRefused) {
      return apiError(400, error.code, error.message, { problems: error.problems });
    }
    return errorResponse(error);
  }
}

async function putPolicy(request: Request, slug: string, actor: Actor): Promise<Response> {
  if (actor.type === "USER" && isCrossSite(request)) {
    await recordCrossSiteRefusal(request);
    return apiError(403, "FORBIDDEN", "Cross-site request refused");
  }
  const access = await resolveProjectAccess(actor, slug);
  // A little room over the policy limit for JSON's quoting; the parser enforces the limit itself.
  const body = await readBodyWithin(request, MAX_POLICY_YAML_LENGTH * 2);
  const stored = await updatePolicy(access, { yaml: body }, { basedOnRevision: ifMatchRevision(request) });
  return policyResponse(request, stored);
}

function ifMatchRevision(request: Request): number | undefined {
  const parsed = policyIfMatch.safeParse(request.headers.get("if-match") ?? undefined);
  if (!parsed.success) throw badInput(parsed.error.issues.map((issue) => issue.message).join("; "));
  return parsed.data;
}

function wantsJson(request: Request): boolean {
  return /\bapplication\/json\b/i.test(request.headers.get("accept") ?? "");
}

function policyResponse(request: Request, stored: StoredPolicy): Response {
  const headers = { etag: `"${stored.revision}"`, "x-tally-policy-revision": String(stored.revision), "cache-control": "no-store" };
  if (wantsJson(request)) return Response.json(policyDocument(stored.policy), { headers });
  return new Response(stored.yaml, { headers: { ...headers, "content-type": "application/yaml; charset=utf-8" } });
}
