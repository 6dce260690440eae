import { config } from "../config";
import type { AccountPolicy } from "../services/users";
import { setupToken } from "./secret";

export function accountPolicy(): AccountPolicy {
  const env = config();
  return {
    signup: env.TALLY_SIGNUP,
    adminEmails: env.TALLY_ADMIN_EMAILS,
    setupToken: setupToken(env, process.env.NODE_ENV === "production"),
  };
}
