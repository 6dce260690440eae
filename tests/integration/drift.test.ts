import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "@/server/db/migrate";
import { createScratchDatabase, type ScratchDatabase } from "../support/databases";

/**
 * The drift guard. Nothing here can introspect a database through Prisma, so a forgotten or wrong
 * migration would otherwise go unnoticed: this builds one database from the committed migrations and
 * one straight from prisma/schema.prisma, and compares their catalogs.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const IGNORED_TABLES = new Set(["_prisma_migrations"]);

/** The SQL Prisma would write for the whole schema, from nothing. */
async function schemaSql(scratchUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    "npx",
    ["--no-install", "prisma", "migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    // The WASM schema engine wants a live connection even to diff from empty.
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: scratchUrl }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

/** Functions and triggers schema.prisma cannot describe, kept in prisma/sql/ and created by migrations too. */
async function extraSql(): Promise<string> {
  const dir = path.join(ROOT, "prisma/sql");
  const files = (await readdir(dir)).filter((file) => file.endsWith(".sql")).sort();
  return (await Promise.all(files.map((file) => readFile(path.join(dir, file), "utf8")))).join("\n");
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * One line per catalog fact of the public schema: tables (and whether they are unlogged), columns
 * (type, nullability, default, identity), indexes, constraints, enums (labels in order), sequences,
 * triggers, functions, views and extensions. Column order is left out: a column added by a later migration lands at the end.
 */
async function catalog(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const lines: string[] = [];
    const rows = async (sql: string) => (await client.query(sql)).rows as Record<string, unknown>[];
    const keep = (table: unknown) => !IGNORED_TABLES.has(String(table));

    for (const r of await rows(`
      SELECT c.relname AS name, c.relkind AS kind, c.relpersistence AS persistence FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`)) {
      if (keep(r.name)) lines.push(`relation ${r.name} (kind ${r.kind}, persistence ${r.persistence})`);
    }
    for (const r of await rows(`
      SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
             character_maximum_length, numeric_precision, numeric_scale, datetime_precision,
             is_identity, identity_generation, is_generated, generation_expression, collation_name
      FROM information_schema.columns WHERE table_schema = 'public'`)) {
      if (!keep(r.table_name)) continue;
      const { table_name, column_name, ...details } = r;
      lines.push(`column ${table_name}.${column_name}: ${JSON.stringify(details)}`);
    }
    for (const r of await rows(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`)) {
      if (keep(r.tablename)) lines.push(`index ${r.tablename}.${r.indexname}: ${r.indexdef}`);
    }
    for (const r of await rows(`
      SELECT c.relname AS table_name, con.conname, con.contype, pg_get_constraintdef(con.oid, true) AS def,
             con.condeferrable, con.condeferred, con.convalidated
      FROM pg_constraint con
      JOIN pg_namespace n ON n.oid = con.connamespace
      LEFT JOIN pg_class c ON c.oid = con.conrelid
      WHERE n.nspname = 'public'`)) {
      if (!keep(r.table_name)) continue;
      lines.push(
        `constraint ${r.table_name ?? "(domain)"}.${r.conname} [${r.contype}]: ${r.def}` +
          `${r.condeferrable ? " DEFERRABLE" : ""}${r.condeferred ? " INITIALLY DEFERRED" : ""}${r.convalidated ? "" : " NOT VALID"}`,
      );
    }
    for (const r of await rows(`
      SELECT t.typname, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`)) {
      lines.push(`enum ${r.typname}: ${r.labels}`);
    }
    for (const r of await rows(`
      SELECT sequencename, data_type, start_value, min_value, max_value, increment_by, cycle, cache_size
      FROM pg_sequences WHERE schemaname = 'public'`)) {
      const { sequencename, ...details } = r;
      lines.push(`sequence ${sequencename}: ${JSON.stringify(details)}`);
    }
    for (const r of await rows(`
      SELECT c.relname AS table_name, t.tgname, pg_get_triggerdef(t.oid) AS def
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT t.tgisinternal`)) {
      if (keep(r.table_name)) lines.push(`trigger ${r.table_name}.${r.tgname}: ${r.def}`);
    }
    for (const r of await rows(`
      SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, md5(pg_get_functiondef(p.oid)) AS body
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')`)) {
      lines.push(`function ${r.proname}(${r.args}): body ${r.body}`);
    }
    for (const r of await rows(`SELECT viewname, definition FROM pg_views WHERE schemaname = 'public'`)) {
      lines.push(`view ${r.viewname}: ${r.definition}`);
    }
    for (const r of await rows(`SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'`)) {
      lines.push(`extension ${r.extname}`);
    }
    return lines.sort();
  });
}

function readableDiff(fromMigrations: string[], fromSchema: string[]): string {
  const inSchema = new Set(fromSchema);
  const inMigrations = new Set(fromMigrations);
  const missing = fromSchema.filter((line) => !inMigrations.has(line));
  const extra = fromMigrations.filter((line) => !inSchema.has(line));
  if (missing.length === 0 && extra.length === 0) return "";
  return [
    "The committed migrations do not produce prisma/schema.prisma.",
    "Add a migration with `npm run db:migration -- <name>` (never edit an applied one).",
    "",
    "In schema.prisma but not made by the migrations:",
    ...(missing.length ? missing.map((line) => `  + ${line}`) : ["  (none)"]),
    "Made by the migrations but not in schema.prisma:",
    ...(extra.length ? extra.map((line) => `  - ${line}`) : ["  (none)"]),
  ].join("\n");
}

describe("migrations vs. schema.prisma (drift guard)", () => {
  it("the committed migrations build exactly the database schema.prisma describes", { timeout: 90_000 }, async () => {
    const databases: ScratchDatabase[] = [];
    try {
      const migrated = await createScratchDatabase("drift_migrations");
      databases.push(migrated);
      const fromSchema = await createScratchDatabase("drift_schema");
      databases.push(fromSchema);

      const [applied, sql] = await Promise.all([applyMigrations(migrated.url), schemaSql(fromSchema.url)]);
      expect(applied.length).toBeGreaterThan(0);
      expect(sql).toMatch(/CREATE TABLE/);
      await withClient(fromSchema.url, async (client) => {
        await client.query(sql);
        await client.query(await extraSql());
      });

      const [migratedCatalog, schemaCatalog] = await Promise.all([catalog(migrated.url), catalog(fromSchema.url)]);
      // The comparison is only meaningful if it sees the schema at all.
      expect(schemaCatalog.filter((line) => line.startsWith("relation ")).length).toBeGreaterThan(3);
      expect(schemaCatalog.some((line) => line.startsWith('column User.email:'))).toBe(true);
      expect(schemaCatalog.some((line) => line.startsWith("enum Role:"))).toBe(true);

      const diff = readableDiff(migratedCatalog, schemaCatalog);
      expect(diff === "", `\n${diff}\n`).toBe(true);
    } finally {
      for (const database of databases) await database.drop();
    }
  });

  it("notices a difference (the comparison is not blind)", async () => {
    const database = await createScratchDatabase("drift_probe", { migrate: true });
    try {
      const before = await catalog(database.url);
      await withClient(database.url, (client) =>
        client.query(`ALTER TABLE "User" ALTER COLUMN "name" SET DEFAULT 'anonymous'; CREATE INDEX "probe_idx" ON "Project" ("name")`),
      );
      const after = await catalog(database.url);
      const diff = readableDiff(after, before);
      expect(diff).toContain("column User.name");
      expect(diff).toContain("index Project.probe_idx");
      expect(before.some((line) => line.includes("_prisma_migrations"))).toBe(false);
    } finally {
      await database.drop();
    }
  });
});
