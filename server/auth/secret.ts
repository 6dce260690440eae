import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "@/lib/env";
import { config } from "../config";

/** A random secret generated once and kept in TALLY_HOME/<name>, so it survives restarts. */
function persistentSecret(env: Env, name: string): string {
  const file = path.resolve(env.TALLY_HOME, name);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process (the launcher, a second worker) created it first: theirs is the one.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return readFileSync(file, "utf8").trim();
}

/** The key that signs session cookies: TALLY_AUTH_SECRET when set, otherwise one kept in TALLY_HOME. */
export function authSecret(): string {
  const env = config();
  return env.TALLY_AUTH_SECRET ?? persistentSecret(env, "auth-secret");
}

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
