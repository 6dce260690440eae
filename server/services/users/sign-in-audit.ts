import { recordAnonymousEvent } from "../audit";

/** A failed sign-in for the instance audit log: the typed email and the address, never the password. */
export function recordSignInFailure(failure: {
  email: string;
  userId?: string;
  address: string | undefined;
  method: "password" | "oidc";
  reason: string;
}): Promise<void> {
  return recordAnonymousEvent(failure.address, {
    action: "auth.sign_in_failed",
    resourceType: "user",
    resourceId: failure.userId ?? "unknown",
    after: { email: failure.email, method: failure.method, reason: failure.reason, address: failure.address ?? null },
  });
}
