import { authenticateToken, tokenFromAuthorization, type TokenPrincipal } from "../services/api-tokens";
import { resolveProjectAccess, type ProjectAccess } from "../services/access";
import { errorResponse } from "./api-error";
import { requestClientAddress } from "./client-address";

/**
 * Wraps a REST handler: verifies the API token (Bearer, or Basic with the token as password) and
 * resolves the project (the one a `/projects/<slug>/…` URL names, else the token's own), then maps any
 * error to the REST error format. The service the handler calls asserts the scope it needs (its
 * FORBIDDEN answers 403).
 */
export function withApiToken(
  handler: (request: Request, auth: { token: TokenPrincipal; access: ProjectAccess }) => Promise<Response>,
  projectSlug?: string,
) {
  return async (request: Request): Promise<Response> => {
    try {
      const token = await authenticateToken(
        tokenFromAuthorization(request.headers.get("authorization")),
        requestClientAddress(request.headers),
      );
      const access = await resolveProjectAccess(token, projectSlug ?? token.project.slug);
      return await handler(request, { token, access });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
