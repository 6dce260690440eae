import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { config } from "../config";

/**
 * The key that signs session cookies: TALLY_AUTH_SECRET when set, otherwise one generated on first
 * start and kept in TALLY_HOME so sessions survive restarts.
 */
export function authSecret(): string {
  const env = config();
  if (env.TALLY_AUTH_SECRET) return env.TALLY_AUTH_SECRET;
  const file = path.resolve(env.TALLY_HOME, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
  return secret;
}
