import { inject } from "vitest";
import pg from "pg";
import { disconnectDb } from "@/server/db/client";
import { closePgPool } from "@/server/db/pool";
import { applyMigrations } from "@/server/db/migrate";
import { uniqueSuffix } from "../factories";

/**
 * Extra databases on the run's one PostgreSQL server, for the few tests that need a database of their
 * own (an empty instance, a schema comparison). Cheaper than a second server: CREATE DATABASE copies
 * template1 in a few tens of milliseconds.
 */
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** The URL of `database` on the test server (same host, port and credentials as the shared one). */
export function databaseUrl(database: string): string {
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl("postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(prefix: string, options: { migrate?: boolean } = {}): Promise<ScratchDatabase> {
  const name = `${prefix}_${uniqueSuffix()}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(name);
  if (options.migrate) await applyMigrations(url);
  return {
    name,
    url,
    drop: () => onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * Runs `work` with the app's database clients (Prisma and the pg pool) pointed at a fresh, migrated,
 * empty database, then points them back at the shared one and drops the fresh one. Only for tests that
 * run one at a time in their file (Vitest's default): the clients are process-wide.
 */
export async function withEmptyDatabase<T>(work: (database: ScratchDatabase) => Promise<T>): Promise<T> {
  const database = await createScratchDatabase("tally_empty", { migrate: true });
  try {
    return await withDatabaseUrl(database.url, () => work(database));
  } finally {
    await database.drop();
  }
}

/** Runs `work` with the app's database clients pointed at `url` (any server), then back at the shared database. */
export async function withDatabaseUrl<T>(url: string, work: () => Promise<T>): Promise<T> {
  const sharedUrl = process.env.DATABASE_URL;
  await disconnectDb();
  await closePgPool();
  process.env.DATABASE_URL = url;
  try {
    return await work();
  } finally {
    await disconnectDb();
    await closePgPool();
    process.env.DATABASE_URL = sharedUrl;
  }
}
