import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "@/lib/env";
import { config } from "../config";

/** A random secret generated once and kept in TALLY_HOME/<name>, so it survives restarts. */
export function persistentSecret(env: Env, name: string): string {
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

/**
 * The instance's secret: TALLY_AUTH_SECRET when set, otherwise one kept in TALLY_HOME. It signs
 * session cookies and is the root of the key that encrypts webhook secrets.
 */
export function authSecret(): string {
  const env = config();
  return env.TALLY_AUTH_SECRET ?? persistentSecret(env, "auth-secret");
}
