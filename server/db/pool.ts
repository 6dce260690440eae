import pg from "pg";
import { logger } from "../observability/logger";
import { poolConfig } from "./connection";
import { preparedQuery } from "./prepared";
import type { SqlTx } from "./transaction";

/**
 * A plain node-postgres pool for the hot paths (metric ingestion and history) where one
 * array-parameter statement beats an ORM round trip per row. Everything else goes through Prisma.
 */
const globalForPool = globalThis as unknown as { tallyPgPool?: pg.Pool; tallyGenericPlanPool?: pg.Pool };

// int8 (BigInt columns: steps, timestamps, run seq) as JS numbers: every value we store is within
// ±2^53 (validated at the edge), and JSON has no bigint.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function pgPool(): pg.Pool {
  globalForPool.tallyPgPool ??= newPool({ ...poolConfig(), max: 10 });
  return globalForPool.tallyPgPool;
}

function newPool(settings: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(settings);
  // An idle connection can be closed by the server (restart, admin command); the pool replaces it.
  // Without a listener that event would crash the process.
  pool.on("error", (error) => logger().warn({ err: error }, "PostgreSQL connection lost"));
  return pool;
}

/**
 * One connection on which prepared statements always run their generic plan, for a statement that a
 * process sends one at a time and whose generic plan is the right one whatever the values: the
 * grouped metric writes (docs/performance.md, "Generic plans"). Elsewhere PostgreSQL compares the
 * generic plan's estimate with the plans it makes for the values at hand, and keeps planning anew
 * while the generic one looks dearer.
 */
export function genericPlanSql(): SqlTx {
  globalForPool.tallyGenericPlanPool ??= newPool({ ...poolConfig(), max: 1, options: "-c plan_cache_mode=force_generic_plan" });
  return sqlOn(globalForPool.tallyGenericPlanPool);
}

/**
 * Runs `work` in a transaction on one pooled connection. The handle is a `SqlTx`, so what must commit
 * with the change (`recordAudit`) can be written in the same transaction.
 */
export async function withPgTransaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
  const client = await pgPool().connect();
  // The pool listens for errors only on idle connections. A database that goes away under this
  // transaction fails the running query and then emits "Connection terminated" on the client: unheard,
  // that event would end the process. The failed query already tells the caller.
  let lost: Error | undefined;
  const onLost = (error: Error) => void (lost = error);
  client.on("error", onLost);
  const tx = sqlOn(client);
  try {
    await client.query("BEGIN");
    const result = await work(tx);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    if (!lost) await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.off("error", onLost);
    // A lost connection goes back as broken, so the pool closes it instead of lending it again.
    client.release(lost);
  }
}

/** The pool as a `SqlTx`: each statement runs on its own, in its own transaction. */
export function pooledSql(): SqlTx {
  return sqlOn(pgPool());
}

function sqlOn(queryable: pg.Pool | pg.PoolClient): SqlTx {
  return {
    query: async <Row extends object>(statement: Parameters<SqlTx["query"]>[0], values: readonly unknown[] = []) =>
      queryable.query(preparedQuery(statement, values)) as Promise<{ rows: Row[] }>,
  };
}

/** The raw pool, once it exists (reading its statistics must not open it). */
export function existingPgPool(): pg.Pool | undefined {
  return globalForPool.tallyPgPool;
}

/** The generic-plan connection's pool, once it exists. */
export function existingGenericPlanPool(): pg.Pool | undefined {
  return globalForPool.tallyGenericPlanPool;
}

export async function closePgPool(): Promise<void> {
  await Promise.all([globalForPool.tallyPgPool?.end(), globalForPool.tallyGenericPlanPool?.end()]);
  globalForPool.tallyPgPool = undefined;
  globalForPool.tallyGenericPlanPool = undefined;
}
