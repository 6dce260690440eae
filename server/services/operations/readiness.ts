import { randomUUID } from "node:crypto";
import { unappliedMigrations } from "@/server/db/migrate";
import { pgPool } from "@/server/db/pool";
import { logger } from "@/server/observability/logger";
import { artifactStore } from "@/server/storage";

export type ReadinessCheckName = "database" | "migrations" | "storage";

export interface Readiness {
  ready: boolean;
  checks: Record<ReadinessCheckName, "ok" | "failing">;
}

/** A check that hangs (a black-holed database host) counts as failing after this long. */
const CHECK_TIMEOUT_MS = 5_000;
/** Load balancers probe every replica every few seconds; one check serves all probes this close together. */
const REUSE_MS = 1_000;

let latest: { at: number; result: Promise<Readiness> } | undefined;

/**
 * Whether this process can serve requests: the database answers, every committed migration is
 * applied, and the artifact store takes a write (a tiny object, written and deleted). Why a check
 * failed goes to the log, not to the answer: probes are unauthenticated.
 */
export function checkReadiness(now = Date.now()): Promise<Readiness> {
  if (!latest || now - latest.at >= REUSE_MS) latest = { at: now, result: runChecks() };
  return latest.result;
}

async function runChecks(): Promise<Readiness> {
  const [database, storage] = await Promise.all([
    passes("database", () => pgPool().query("SELECT 1")),
    passes("storage", async () => {
      const key = `_tally/readiness/${randomUUID()}`;
      await artifactStore().put(key, Buffer.from("ok"), { size: 2 });
      await artifactStore().delete(key);
    }),
  ]);
  const migrations =
    database &&
    (await passes("migrations", async () => {
      const missing = await unappliedMigrations(pgPool());
      if (missing.length) throw new Error(`${missing.length} migration(s) not applied, the first is ${missing[0]}`);
    }));
  const state = (ok: boolean): "ok" | "failing" => (ok ? "ok" : "failing");
  return {
    ready: database && migrations && storage,
    checks: { database: state(database), migrations: state(migrations), storage: state(storage) },
  };
}

async function passes(name: ReadinessCheckName, work: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([work(), timeout]);
    return true;
  } catch (error) {
    logger().warn({ err: error, check: name }, `Readiness check ${name} is failing`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
