import { transaction } from "@/server/db/transaction";
import { recordAudit } from "../audit";

/**
 * A failed sign-in, for the instance audit log (no project). The typed email and the client address
 * are kept; the password never is.
 */
export async function recordSignInFailure(failure: {
  email: string;
  userId?: string;
  address: string | undefined;
  method: "password" | "oidc";
  reason: string;
}): Promise<void> {
  await transaction((tx) =>
    recordAudit(tx, { type: "ANONYMOUS", address: failure.address }, {
      projectId: null,
      action: "auth.sign_in_failed",
      resourceType: "user",
      resourceId: failure.userId ?? "unknown",
      actorRole: null,
      after: { email: failure.email, method: failure.method, reason: failure.reason, address: failure.address ?? null },
    }),
  );
}
