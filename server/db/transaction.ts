import type { Prisma } from "./generated/client";
import { db } from "./client";
import type { PreparedStatement } from "./prepared";

/**
 * One transaction model (docs/architecture.md, "One transaction model"). Most writes run in a Prisma
 * transaction (`transaction`, handle `Tx`); the metric hot path runs in a raw node-postgres transaction
 * (`withPgTransaction` in pool.ts, handle `SqlTx`). Whatever must commit together with a change (its
 * history row, its audit event) is written through the change's own handle, of either kind.
 */
export type Tx = Prisma.TransactionClient;

/** A transaction on the raw pool (or the pool itself, for one statement): parameterized SQL only, no driver types. */
export interface SqlTx {
  query<Row extends object = Record<string, unknown>>(statement: string | PreparedStatement, values?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

/** Runs `work` in one transaction; audit events written with the same `tx` commit or roll back with it. */
export function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(work);
}

/** Runs one statement that returns no rows inside `tx`, whichever kind of transaction it is. */
export async function executeIn(tx: Tx | SqlTx, text: string, values: readonly unknown[]): Promise<void> {
  if ("$executeRawUnsafe" in tx) await tx.$executeRawUnsafe(text, ...values);
  else await tx.query(text, values);
}
