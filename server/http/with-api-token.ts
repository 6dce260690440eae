import type { Scope } from "@/lib/rbac";
import { authenticateToken, tokenFromAuthorization, type TokenPrincipal } from "../services/api-tokens";
import { requireProjectScope, type ProjectAccess } from "../services/access";
import { errorResponse } from "./api-error";
import { requestClientAddress } from "./client-address";

/**
 * Wraps a REST handler: verifies the API token (Bearer, or Basic with the token as password),
 * resolves the project (the one a `/projects/<slug>/…` URL names, else the token's own) and requires
 * `scope`, then maps any error to the REST error format.
 */
export function withApiToken(
  scope: Scope,
  handler: (request: Request, auth: { token: TokenPrincipal; access: ProjectAccess }) => Promise<Response>,
  projectSlug?: string,
) {
  return async (request: Request): Promise<Response> => {
    try {
      const token = await authenticateToken(
        tokenFromAuthorization(request.headers.get("authorization")),
        requestClientAddress(request.headers),
      );
      const access = await requireProjectScope(token, projectSlug ?? token.project.slug, scope);
      return await handler(request, { token, access });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
