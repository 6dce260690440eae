import { unauthenticated } from "@/lib/errors";
import { currentActor } from "../auth/current-actor";
import { authenticateToken, tokenFromAuthorization } from "../services/api-tokens";
import type { Actor } from "../services/access";
import { requestClientAddress } from "./client-address";

/**
 * Who sent a `/api/v1/projects/<slug>/…` request: the API token in `Authorization` (Bearer, or Basic
 * with the token as password) when there is one, otherwise the signed-in session of the web app. A
 * bad token is refused; it never falls back to the session.
 */
export async function requestActor(request: Request): Promise<Actor> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    return authenticateToken(tokenFromAuthorization(authorization), requestClientAddress(request.headers));
  }
  const user = await currentActor();
  if (!user) throw unauthenticated();
  return user;
}
