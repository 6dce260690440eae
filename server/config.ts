import { parseEnv, type Env } from "@/lib/env";

let cached: Env | undefined;

/** The validated environment of this process; throws EnvError naming every bad variable. */
export function config(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
