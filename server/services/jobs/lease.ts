import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { pgPool } from "@/server/db/pool";
import type { Tx } from "@/server/db/transaction";

/**
 * A table of work items that fall due: a due-time column and a condition for rows still to be done.
 * The names are constants of the calling service, never user input.
 */
export interface DueWork {
  /** The table's name as PostgreSQL knows it, e.g. `WebhookDelivery`. */
  table: string;
  /** The column holding when a row is next due. */
  dueColumn: string;
  /** A constant SQL condition rows must meet to be worked on, e.g. `"status" = 'pending'`. */
  ready: string;
}

/** Due work claimed with leases: each row also has `"id"`, `"leaseOwner"` and `"leaseExpiresAt"`. */
export type LeasedTable = DueWork;

export interface ClaimOptions {
  /** Who claims (`workerId()`); only this owner may finish or release what it claimed. */
  owner: string;
  now: Date;
  /** How long the claim holds: past it, another process may claim the row again. */
  leaseMs: number;
  limit: number;
  /** Only rows whose `column` is one of `values` (e.g. one webhook's deliveries). */
  only?: { column: string; values: string[] };
}

const quoted = (identifier: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(identifier)) throw new Error(`not a plain SQL identifier: ${identifier}`);
  return `"${identifier}"`;
};

/** Timestamps are `timestamp(3)` in UTC, as Prisma stores them. */
const utc = (placeholder: string) => `(${placeholder}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * Claims up to `limit` due rows for `owner` and returns their ids, oldest due first. Safe with any
 * number of processes on one database: `FOR UPDATE SKIP LOCKED` lets concurrent claims pass each
 * other without waiting, and a row already leased is skipped until its lease ends. So a row is
 * worked on by exactly one process at a time, and one whose process died is picked up again once
 * the lease expires.
 */
export async function claimDue(spec: LeasedTable, options: ClaimOptions): Promise<string[]> {
  const table = quoted(spec.table);
  const due = quoted(spec.dueColumn);
  const params: unknown[] = [options.owner, new Date(options.now.getTime() + options.leaseMs).toISOString(), options.now.toISOString(), options.limit];
  let only = "";
  if (options.only) {
    params.push(options.only.values);
    only = `AND ${quoted(options.only.column)} = ANY($5::text[])`;
  }
  const { rows } = await pgPool().query<{ id: string }>(
    `UPDATE ${table} SET "leaseOwner" = $1, "leaseExpiresAt" = ${utc("$2")}
      WHERE "id" IN (
        SELECT "id" FROM ${table}
         WHERE (${spec.ready}) AND ${due} <= ${utc("$3")}
           AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" <= ${utc("$3")}) ${only}
         ORDER BY ${due}
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
      RETURNING "id"`,
    params,
  );
  return rows.map((row) => row.id);
}

/**
 * Claims up to `limit` due rows for the rest of the transaction `tx` and returns their ids, oldest due
 * first: for work that is done and committed inside that transaction (no `leaseOwner` columns needed).
 * `FOR UPDATE SKIP LOCKED` hands each row to exactly one of the processes claiming at once, and a row
 * changed by a transaction that committed meanwhile is checked against `ready` again.
 *
 * The lease is the transaction. A process that dies mid-way has its connection closed by its
 * operating system, and PostgreSQL rolls back and frees the rows at once; a machine that vanishes
 * (power, network) stops answering TCP keepalives, which this sets so that PostgreSQL gives up on it
 * after about `leaseMs` instead of the system default of two hours.
 */
export async function claimInTransaction(tx: Tx, spec: LeasedTable, options: Omit<ClaimOptions, "owner" | "only">): Promise<string[]> {
  const seconds = Math.max(3, Math.round(options.leaseMs / 1000));
  const idle = Math.ceil(seconds / 2);
  const interval = Math.max(1, Math.floor((seconds - idle) / 3));
  await tx.$queryRawUnsafe(
    `SELECT set_config('tcp_keepalives_idle', $1, true), set_config('tcp_keepalives_interval', $2, true),
            set_config('tcp_keepalives_count', '3', true)`,
    String(idle),
    String(interval),
  );
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT "id" FROM ${quoted(spec.table)}
      WHERE (${spec.ready}) AND ${quoted(spec.dueColumn)} <= ${utc("$1")}
      ORDER BY ${quoted(spec.dueColumn)}
      LIMIT $2
      FOR UPDATE SKIP LOCKED`,
    options.now.toISOString(),
    options.limit,
  );
  return rows.map((row) => row.id);
}

/** A name for this process's claims, unique across replicas and restarts. */
export function workerId(): string {
  return `${hostname()}#${process.pid}#${randomBytes(4).toString("hex")}`;
}

/**
 * How long the longest-waiting due item has been due, in seconds (0 when nothing is due): the lag of
 * this kind of background work. Items being worked on count until they are done.
 */
export async function lagSeconds(spec: DueWork, now: Date): Promise<number> {
  const due = quoted(spec.dueColumn);
  const { rows } = await pgPool().query<{ lag: number | null }>(
    `SELECT EXTRACT(EPOCH FROM (${utc("$1")} - min(${due})))::float8 AS "lag"
       FROM ${quoted(spec.table)} WHERE (${spec.ready}) AND ${due} <= ${utc("$1")}`,
    [now.toISOString()],
  );
  return Math.max(0, rows[0]?.lag ?? 0);
}
