import { config } from "../config";
import type { AccountPolicy } from "../services/users";

export function accountPolicy(): AccountPolicy {
  const env = config();
  return { signup: env.TALLY_SIGNUP, adminEmails: env.TALLY_ADMIN_EMAILS };
}
