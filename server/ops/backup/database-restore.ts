import pg from "pg";
import { conflict } from "@/lib/errors";
import { applyMigrationsInTransaction, committedMigrations } from "@/server/db/migrate";
import { ArchiveError } from "./archive-error";
import { CopyIn } from "./copy-in";
import type { Manifest } from "./manifest";
import { COPY_SETTINGS, quoteIdent, TABLES_QUERY } from "./sql";

type Table = Manifest["tables"][number];

/**
 * Loads a backup's tables into an empty database in one transaction: the schema of the backup's
 * migrations, every row, the sequences. Nothing is visible (and nothing remains after a failure)
 * until `commit`. Triggers and foreign-key checks are off for the load
 * (session_replication_role = replica): the rows were checked when first written, and the ledger and
 * lineage triggers must not rewrite or duplicate what they produced then.
 */
export class DatabaseRestore {
  private loading: { table: Table; copy: CopyIn; part: number } | undefined;
  private readonly loaded = new Set<string>();

  private constructor(
    private readonly client: pg.Client,
    private readonly manifest: Manifest,
  ) {}

  /** Connects, checks the database is empty, and opens the transaction with the backup's schema. */
  static async begin(databaseUrl: string, manifest: Manifest): Promise<DatabaseRestore> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: "tally-restore" });
    await client.connect();
    const restore = new DatabaseRestore(client, manifest);
    try {
      await client.query("BEGIN");
      for (const setting of COPY_SETTINGS) await client.query(setting);
      await restore.prepareSchema();
      await client.query("SET LOCAL session_replication_role = replica").catch((error: unknown) => {
        if ((error as { code?: string }).code !== "42501") throw error;
        throw new Error(
          "Restoring needs a database superuser (it turns triggers and foreign-key checks off while it loads rows that were " +
            "checked when first written). Connect as the role that owns the database server (the embedded PostgreSQL's, " +
            "or POSTGRES_USER in docker compose).",
        );
      });
      return restore;
    } catch (error) {
      await restore.rollback();
      throw error;
    }
  }

  /** Appends one part of a table's CSV; parts come in order, each table's together. */
  async loadPart(tableName: string, part: number, body: AsyncIterable<Buffer>): Promise<void> {
    if (this.loading?.table.name !== tableName) {
      await this.finishTable();
      const table = this.manifest.tables.find((candidate) => candidate.name === tableName);
      if (!table) throw new ArchiveError(`it holds data for a table its manifest does not list (${tableName})`);
      if (this.loaded.has(tableName) || part !== 1) throw new ArchiveError(`the parts of table ${tableName} are out of order`);
      const columns = table.columns.map(quoteIdent).join(", ");
      const copy = new CopyIn(this.client, `COPY ${quoteIdent(table.name)} (${columns}) FROM STDIN (FORMAT csv)`);
      this.loading = { table, copy, part: 0 };
      this.loaded.add(tableName);
    }
    const loading = this.loading;
    if (part !== loading.part + 1) throw new ArchiveError(`the parts of table ${tableName} are out of order`);
    loading.part = part;
    try {
      for await (const chunk of body) await loading.copy.write(chunk);
    } catch (error) {
      throw asDataError(tableName, error);
    }
  }

  /** Checks every table got all its rows and sets the sequences; call once the archive's data is read. */
  async finish(): Promise<void> {
    await this.finishTable();
    const missing = this.manifest.tables.filter((table) => table.rows > 0 && !this.loaded.has(table.name));
    if (missing.length) throw new ArchiveError(`the rows of ${missing.map((table) => table.name).join(", ")} are missing`);
    for (const sequence of this.manifest.sequences) {
      if (sequence.value === null) continue;
      await this.client.query("SELECT setval($1::regclass, $2::bigint, true)", [quoteIdent(sequence.name), sequence.value]).catch(() => {
        throw new ArchiveError(`its sequence ${sequence.name} does not exist in the schema its migrations create`);
      });
    }
  }

  async commit(): Promise<void> {
    await this.client.query("COMMIT");
    await this.client.end();
  }

  async rollback(): Promise<void> {
    await this.loading?.copy.abort("restore abandoned").catch(() => undefined);
    await this.client.query("ROLLBACK").catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  private async finishTable(): Promise<void> {
    const loading = this.loading;
    if (!loading) return;
    this.loading = undefined;
    const rows = await loading.copy.end().catch((error: unknown) => {
      throw asDataError(loading.table.name, error);
    });
    if (rows !== loading.table.rows) {
      throw new ArchiveError(`table ${loading.table.name} holds ${rows} rows where its manifest counts ${loading.table.rows}`);
    }
  }

  /**
   * Refuses a database that holds data, or whose schema is newer than the backup's; then applies the
   * backup's migrations the database lacks (all of them, in a fresh one).
   */
  private async prepareSchema(): Promise<void> {
    const applied = await this.appliedMigrations();
    const wanted = this.manifest.migrations.map((migration) => migration.name);
    const foreign = applied.filter((name, index) => wanted[index] !== name);
    if (foreign.length) {
      throw conflict(
        `The target database's schema does not match the backup's: it has migration ${foreign[0]}, which the backup's ` +
          "database did not have. Restore into a new, empty database (or an empty TALLY_HOME).",
      );
    }
    const holding = await this.tablesWithRows();
    if (holding.length) {
      throw conflict(
        `The target database is not empty (${holding.slice(0, 5).join(", ")}${holding.length > 5 ? ", …" : ""} hold rows). ` +
          "A restore only fills an empty database: use a new database (or an empty TALLY_HOME), or drop this one first.",
      );
    }
    const committed = new Map((await committedMigrations()).map((migration) => [migration.name, migration]));
    const missing = this.manifest.migrations.slice(applied.length).map((listed) => committed.get(listed.name)!);
    await applyMigrationsInTransaction(this.client, missing);
    await this.checkTables();
  }

  private async appliedMigrations(): Promise<string[]> {
    const exists = await this.client.query<{ found: boolean }>(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS found`);
    if (!exists.rows[0]?.found) return [];
    const { rows } = await this.client.query<{ name: string }>(
      `SELECT migration_name AS name FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY migration_name`,
    );
    return rows.map((row) => row.name);
  }

  private async tablesWithRows(): Promise<string[]> {
    const tables = (await this.client.query<{ name: string }>(TABLES_QUERY)).rows;
    const holding: string[] = [];
    for (const table of tables) {
      const { rows } = await this.client.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table.name)}) AS found`);
      if (rows[0]?.found) holding.push(table.name);
    }
    return holding;
  }

  /** The backup's tables and columns must be the ones its migrations create; anything else was edited in. */
  private async checkTables(): Promise<void> {
    const actual = new Map(
      (await this.client.query<{ name: string; columns: string[] }>(TABLES_QUERY)).rows.map((table) => [table.name, new Set(table.columns)]),
    );
    for (const table of this.manifest.tables) {
      const columns = actual.get(table.name);
      const unknown = columns ? table.columns.filter((column) => !columns.has(column)) : [];
      if (!columns || unknown.length) {
        throw new ArchiveError(
          `its table ${table.name}${unknown.length ? ` (columns ${unknown.join(", ")})` : ""} does not exist in the schema its migrations create`,
        );
      }
    }
  }
}

/**
 * A backup can be restored by the Tally that made it or a newer one: every migration it lists must
 * be one of ours, unchanged. (Migrations newer than the backup are applied after its data is in.)
 */
export async function checkSchemaKnown(manifest: Manifest): Promise<void> {
  const committed = new Map((await committedMigrations()).map((migration) => [migration.name, migration.checksum]));
  for (const migration of manifest.migrations) {
    const checksum = committed.get(migration.name);
    if (checksum === undefined) {
      throw new Error(
        `This backup was made by a newer Tally (${manifest.tallyVersion}): its database has migration ${migration.name}, ` +
          "which this version does not know. Restore it with that version or a later one.",
      );
    }
    if (checksum !== migration.checksum) {
      throw new Error(`Migration ${migration.name} of this backup differs from this Tally's: it was made by a modified build.`);
    }
  }
}

/** PostgreSQL refusing a row means the table's data in the archive is damaged. */
function asDataError(table: string, error: unknown): Error {
  if (error instanceof ArchiveError) return error;
  if (error instanceof Error && "code" in error && typeof error.code === "string" && /^(22|23)/.test(error.code)) {
    return new ArchiveError(`the data of table ${table} does not load: ${error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
