import pg from "pg";
import { type CopyToStreamQuery, to as copyTo } from "pg-copy-streams";
import type { ArchiveEntry } from "./archive-writer";
import { PART_BYTES, tablePartPath, type Manifest } from "./manifest";
import { COPY_SETTINGS, quoteIdent, SEQUENCES_QUERY, TABLES_QUERY } from "./sql";

type DatabasePart = Pick<Manifest, "postgresVersion" | "migrations" | "tables" | "sequences">;
type Table = Manifest["tables"][number];

/**
 * One consistent view of the database while the server keeps writing: a REPEATABLE READ, READ ONLY
 * transaction whose snapshot every count and COPY reads. Tables are share-locked (writes go on; only
 * schema changes wait), as pg_dump does.
 */
export interface DatabaseSnapshot {
  description: DatabasePart;
  /** Each table's rows as archive entries, in parts; ends the transaction after the last one. */
  tableParts(): AsyncGenerator<ArchiveEntry>;
  /** Ends the transaction and the connection, also in the middle of a table (idempotent). */
  close(): Promise<void>;
}

export async function openSnapshot(databaseUrl: string): Promise<DatabaseSnapshot> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "tally-backup" });
  await client.connect();
  let closed: Promise<void> | undefined;
  // Ending the connection ends the read-only transaction; with a COPY still running (a backup that
  // failed), pg drops the socket rather than wait for a COPY nobody reads any more.
  const close = () => (closed ??= client.end().catch(() => undefined));
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    for (const setting of COPY_SETTINGS) await client.query(setting);
    const description = await describe(client);
    return {
      description,
      async *tableParts() {
        const copies: { table: Table; copy: CopyToStreamQuery }[] = [];
        for (const table of description.tables) yield* partsOf(client, table, copies);
        // COMMIT waits until the last COPY is complete, so by then every COPY has its row count.
        await client.query("COMMIT");
        await close();
        for (const { table, copy } of copies) {
          // Same snapshot, so the same rows: anything else means the server broke its promise.
          if (copy.rowCount !== table.rows) throw new Error(`Table ${table.name} gave ${copy.rowCount} rows to COPY but ${table.rows} to count(*)`);
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function describe(client: pg.Client): Promise<DatabasePart> {
  const tables = (await client.query<{ name: string; columns: string[] }>(TABLES_QUERY)).rows;
  const bookkeeping = await client.query<{ found: boolean }>(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS found`);
  if (!bookkeeping.rows[0]?.found) throw new Error("This database has no Tally schema (no migrations were ever applied to it).");
  if (tables.length) await client.query(`LOCK TABLE ${tables.map((table) => quoteIdent(table.name)).join(", ")} IN ACCESS SHARE MODE`);
  const migrations = (
    await client.query<{ name: string; checksum: string }>(
      `SELECT migration_name AS name, checksum FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    )
  ).rows;
  const counted = [];
  for (const table of tables) {
    const { rows } = await client.query<{ rows: string }>(`SELECT count(*)::text AS rows FROM ${quoteIdent(table.name)}`);
    counted.push({ ...table, rows: Number(rows[0]!.rows) });
  }
  const sequences = (await client.query<{ name: string; value: string | null }>(SEQUENCES_QUERY)).rows;
  const version = (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  return { postgresVersion: version, migrations, tables: counted, sequences };
}

/** A table's CSV in parts of about PART_BYTES (a part is held in memory until it is written). */
async function* partsOf(client: pg.Client, table: Table, copies: { table: Table; copy: CopyToStreamQuery }[]): AsyncGenerator<ArchiveEntry> {
  if (table.rows === 0) return;
  const columns = table.columns.map(quoteIdent).join(", ");
  // The query form also reads partitioned tables, which a plain `COPY table TO` refuses.
  const copy = client.query(copyTo(`COPY (SELECT ${columns} FROM ${quoteIdent(table.name)}) TO STDOUT (FORMAT csv)`));
  copies.push({ table, copy });
  let part = 0;
  let chunks: Buffer[] = [];
  let size = 0;
  const cut = (): ArchiveEntry => {
    const body = Buffer.concat(chunks, size);
    const entry = { path: tablePartPath(table.name, ++part), size, body };
    chunks = [];
    size = 0;
    return entry;
  };
  for await (const chunk of copy as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= PART_BYTES) yield cut();
  }
  if (size > 0) yield cut();
}
