import type { Scope } from "@/lib/rbac";
import { requireProjectScope, type ProjectAccess } from "@/server/services/access";
import { authenticateToken, tokenFromAuthorization } from "@/server/services/api-tokens";
import { requestClientAddress } from "../client-address";

/**
 * The MLflow edges' access check: the request's project token, on the project named in the URL
 * (`/projects/<slug>/…`) or, on the bare form, the token's own project.
 */
export async function authorizeMlflowRequest(request: Request, projectSlug: string | undefined, scope: Scope): Promise<ProjectAccess> {
  const token = await authenticateToken(
    tokenFromAuthorization(request.headers.get("authorization")),
    requestClientAddress(request.headers),
  );
  return requireProjectScope(token, projectSlug ?? token.project.slug, scope);
}
