import type { Env } from "@/lib/env";
import { persistentSecret } from "../runtime/instance-secret";

export { authSecret } from "../runtime/instance-secret";

/**
 * What /setup asks for before it creates the first account, so that whoever reaches a fresh
 * instance first does not become its administrator: TALLY_SETUP_TOKEN when set; otherwise, in
 * production mode, one generated and kept in TALLY_HOME (the launcher prints it); in development
 * mode none.
 */
export function setupToken(env: Env, production: boolean): string | null {
  if (env.TALLY_SETUP_TOKEN) return env.TALLY_SETUP_TOKEN;
  return production ? persistentSecret(env, "setup-token") : null;
}
