import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { applyMigrations } from "@/server/db/migrate";
import { createScratchDatabase, type ScratchDatabase } from "../support/databases";

/**
 * The migration that gives params and tags their run's seq fills it for the rows already stored:
 * a database migrated up to the migration before it, with runs, params and tags in it, is migrated
 * the rest of the way and every row carries the seq of its own run.
 */
const MIGRATION = "20261203083024_param_and_tag_run_seq";
const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");

let database: ScratchDatabase;
let client: pg.Client;
let before: string;

beforeAll(async () => {
  database = await createScratchDatabase("tally_run_seq");
  before = mkdtempSync(path.join(tmpdir(), "tally-migrations-"));
  for (const name of readdirSync(MIGRATIONS)) {
    if (name < MIGRATION) cpSync(path.join(MIGRATIONS, name), path.join(before, name), { recursive: true });
  }
  await applyMigrations(database.url, before);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
  rmSync(before, { recursive: true, force: true });
});

test("fills runSeq of stored params and tags from their runs, then requires it", async () => {
  const columns = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'Param' AND column_name = 'runSeq'`);
  expect(columns.rows).toHaveLength(0);
  await client.query(`INSERT INTO "Project" ("id", "slug", "name", "updatedAt") VALUES ('p', 'p', 'P', now())`);
  await client.query(
    `INSERT INTO "Experiment" ("id", "projectId", "number", "name", "artifactLocation", "creationTime", "lastUpdateTime")
     VALUES ('e', 'p', 1, 'E', 'mlflow-artifacts:/1', 0, 0)`,
  );
  for (const run of ["a", "b", "c"]) {
    await client.query(`INSERT INTO "Run" ("id", "projectId", "experimentId", "name", "startTime", "artifactUri") VALUES ($1, 'p', 'e', $1, 0, '')`, [run]);
    await client.query(`INSERT INTO "Param" ("runId", "key", "value") VALUES ($1, 'lr', $1), ($1, 'depth', $1)`, [run]);
    await client.query(`INSERT INTO "RunTag" ("runId", "key", "value") VALUES ($1, 'team', $1)`, [run]);
  }

  await applyMigrations(database.url);

  const seqs = await client.query<{ id: string; seq: string }>(`SELECT "id", "seq" FROM "Run" ORDER BY "id"`);
  const seqOf = new Map(seqs.rows.map((row) => [row.id, row.seq]));
  expect(new Set(seqOf.values()).size).toBe(3);
  for (const table of ["Param", "RunTag"]) {
    const rows = await client.query<{ runId: string; runSeq: string }>(`SELECT "runId", "runSeq" FROM "${table}" ORDER BY "runId", "key"`);
    expect(rows.rows.length).toBe(table === "Param" ? 6 : 3);
    for (const row of rows.rows) expect(row.runSeq, `${table} of run ${row.runId}`).toBe(seqOf.get(row.runId));
    await expect(client.query(`INSERT INTO "${table}" ("runId", "key", "value") VALUES ('a', 'new', 'x')`)).rejects.toThrow(/runSeq/);
  }
});
