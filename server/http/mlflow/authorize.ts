import { resolveProjectAccess, type ProjectAccess } from "@/server/services/access";
import { authenticateToken, tokenFromAuthorization } from "@/server/services/api-tokens";
import type { HeaderLookup } from "../api-call";
import { requestClientAddress } from "../client-address";

/**
 * The MLflow edges' access check: the request's project token, on the project named in the URL
 * (`/projects/<slug>/…`) or, on the bare form, the token's own project. Whether the token's scopes
 * allow the call is for the service to decide (its FORBIDDEN answers 403 PERMISSION_DENIED).
 */
export async function authorizeMlflowRequest(headers: HeaderLookup, projectSlug: string | undefined): Promise<ProjectAccess> {
  const token = await authenticateToken(tokenFromAuthorization(headers.get("authorization")), requestClientAddress(headers));
  return resolveProjectAccess(token, projectSlug ?? token.project.slug);
}
