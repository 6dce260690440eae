import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/**
 * Applies the committed migrations in prisma/migrations, keeping Prisma's own bookkeeping table
 * (`_prisma_migrations`, same columns and checksums) so `prisma migrate status` stays truthful.
 *
 * Why not `prisma migrate deploy`: with the offline WASM engine the CLI takes ~11 s per call here
 * (most of it waiting to exit), and this runs on every start, every admin command and every test
 * database. This runner also wraps each migration in a transaction, so a failed one leaves nothing.
 */
const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
/** The advisory lock id Prisma uses, so our runner and the Prisma CLI never migrate at once. */
const ADVISORY_LOCK_ID = 72707369;

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const applied = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const appliedByName = new Map(applied.rows.map((row) => [row.migration_name, row]));
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      const previous = appliedByName.get(migration.name);
      if (previous) {
        if (!previous.finished_at) {
          throw new Error(`Migration ${migration.name} failed earlier and needs manual repair.`);
        }
        if (previous.checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied. Never edit an applied migration; add a new one.`,
          );
        }
        continue;
      }
      await applyOne(client, migration);
      newlyApplied.push(migration.name);
    }
    return newlyApplied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
       VALUES ($1, $2, now(), $3, 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
  }
}

/**
 * Committed migrations the database has not applied (all of them when it has no bookkeeping table):
 * a server whose code expects tables the database lacks is not ready.
 */
export async function unappliedMigrations(db: Pick<pg.Pool, "query">, dir = MIGRATIONS_DIR): Promise<string[]> {
  const committed = await committedMigrationNames(dir);
  const table = await db.query<{ present: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  if (!table.rows[0]?.present) return committed;
  const applied = await db.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Set(applied.rows.map((row) => row.migration_name));
  return committed.filter((name) => !done.has(name));
}

async function committedMigrationNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}

async function readMigrations(dir: string): Promise<Migration[]> {
  return Promise.all(
    (await committedMigrationNames(dir)).map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}
