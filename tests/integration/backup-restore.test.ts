import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/server/db/client";
import { closePgPool } from "@/server/db/pool";
import { createBackup, restoreBackup, type InstanceFiles } from "@/server/ops/backup";
import { readArchive } from "@/server/ops/backup/archive-reader";
import { type ArchiveEntry, packArchive } from "@/server/ops/backup/archive-writer";
import { gzipMembers } from "@/server/ops/backup/gzip-members";
import { SEQUENCES_QUERY, TABLES_QUERY } from "@/server/ops/backup/sql";
import { resolveProjectAccess } from "@/server/services/access";
import { putArtifact } from "@/server/services/artifacts";
import { createLoggedModel } from "@/server/services/logged-models";
import { setModelAlias, transitionModelVersionStage } from "@/server/services/promotions";
import { createModelVersion, createRegisteredModel } from "@/server/services/registry";
import { createRun, logBatch, logInputs } from "@/server/services/runs";
import { useArtifactStore } from "@/server/storage";
import { FilesystemObjectStore } from "@/server/storage/fs-store";
import { S3ObjectStore } from "@/server/storage/s3-store";
import { createProjectWithToken, systemActor, uniqueSuffix } from "../factories";
import { createScratchDatabase, type ScratchDatabase } from "../support/databases";
import { startS3Server } from "../support/s3-server";
import { startTally, stopTallies } from "../support/tally-server";

/**
 * `npm run admin -- backup` and `restore` as an operator runs them: an instance built through the
 * services (runs, metrics, artifacts, registry, audit, lineage) is backed up while it keeps taking
 * writes, restored into a fresh database and TALLY_HOME, and the restored instance is the same one:
 * same rows, same bytes, an intact ledger, and a server that serves its runs and artifacts.
 */
const root = path.resolve(import.meta.dirname, "../..");
const cleanups: (() => Promise<unknown>)[] = [];
let source: ScratchDatabase;
let sourceHome: string;
let sharedUrl: string | undefined;

beforeAll(async () => {
  // The source instance has a database of its own, so its tables hold exactly what this file wrote.
  source = await createScratchDatabase("tally_backup_source", { migrate: true });
  sourceHome = await scratchFolder("tally-backup-source-");
  await writeFile(path.join(sourceHome, "auth-secret"), randomBytes(32).toString("hex"), { mode: 0o600 });
  sharedUrl = process.env.DATABASE_URL;
  await disconnectDb();
  await closePgPool();
  process.env.DATABASE_URL = source.url;
  useArtifactStore(new FilesystemObjectStore(path.join(sourceHome, "artifacts")));
});

afterAll(async () => {
  await stopTallies();
  await disconnectDb();
  await closePgPool();
  process.env.DATABASE_URL = sharedUrl;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await source.drop();
});

async function scratchFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

async function emptyDatabase(): Promise<ScratchDatabase> {
  const database = await createScratchDatabase("tally_restore");
  cleanups.push(() => database.drop());
  return database;
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The admin CLI in its own process; `env` entries set to undefined are removed from the inherited environment. */
function admin(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment of an instance: its database and TALLY_HOME, its secret kept in TALLY_HOME. */
const instanceEnv = (database: string, home: string) => ({ DATABASE_URL: database, TALLY_HOME: home, TALLY_AUTH_SECRET: undefined });

const filesystemInstance = (home: string, authSecretFromEnvironment = false): InstanceFiles => ({
  home,
  authSecretFromEnvironment,
  artifacts: { store: "filesystem", folder: path.join(home, "artifacts") },
});

const modelBytes = randomBytes(300_000);

/** A project with the kinds of data an instance holds, written through the services. */
async function buildProject() {
  const { project, plaintext } = await createProjectWithToken("OWNER", ["read", "write"]);
  const access = await resolveProjectAccess(systemActor, project.slug);
  const sweep = await createRun(access, { experimentId: "0", runName: "sweep", startTime: Date.now(), tags: [] });
  const train = await createRun(access, {
    experimentId: "0",
    runName: "train",
    startTime: Date.now(),
    tags: [{ key: "mlflow.parentRunId", value: sweep.id }],
  });
  // Floats that only survive an exact round trip, and the special values MLflow allows.
  const values = [0.1 + 0.2, 1e-300, -2.5e300, Number.NaN, Infinity, -Infinity, 0, 123456789.123456789];
  await logBatch(access, train.id, {
    params: [
      { key: "lr", value: "0.01" },
      { key: "notes", value: 'quotes " commas, newlines\nand ünïcödé' },
    ],
    tags: [{ key: "team", value: "fraud" }],
    metrics: Array.from({ length: 200 }, (_, step) => ({
      key: step % 2 ? "loss" : "auc",
      value: values[step % values.length]!,
      timestamp: 1_700_000_000_000 + step,
      step,
    })),
  });
  await logInputs(access, train.id, [
    { dataset: { name: "transactions", digest: "d1", sourceType: "s3", source: '{"uri": "s3://lake/tx"}' }, tags: [{ key: "mlflow.data.context", value: "train" }] },
  ]);
  const artifactRoot = `0/${train.id}/artifacts`;
  await putArtifact(access, `${artifactRoot}/model/model.pkl`, modelBytes, {});
  await putArtifact(access, `${artifactRoot}/eval/report ✓.json`, Buffer.from('{"auc": 0.93}'), { contentType: "application/json" });
  const logged = await createLoggedModel(access, { experimentId: "0", name: "clf", sourceRunId: train.id, params: [], tags: [] });
  const model = `fraud-${uniqueSuffix()}`;
  await createRegisteredModel(access, { name: model });
  await createModelVersion(access, model, { source: `models:/${logged.id}`, runId: train.id });
  await createModelVersion(access, model, { source: `runs:/${train.id}/model`, runId: train.id });
  await setModelAlias(access, model, "champion", 1);
  await transitionModelVersionStage(access, model, 1, { stage: "Production", archiveExisting: false });
  return { slug: project.slug, token: plaintext, access, train, model, artifactRoot };
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

/** Each table's row count and a digest of all its rows; and each sequence's value. */
async function fingerprint(url: string) {
  return withClient(url, async (client) => {
    const tables: Record<string, { rows: number; digest: string }> = {};
    for (const { name } of (await client.query<{ name: string }>(TABLES_QUERY)).rows) {
      const { rows } = await client.query<{ rows: number; digest: string }>(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM "${name}" t`,
      );
      tables[name] = rows[0]!;
    }
    const sequences = (await client.query<{ name: string; value: string | null }>(SEQUENCES_QUERY)).rows;
    return { tables, sequences };
  });
}

const rowCounts = (print: Awaited<ReturnType<typeof fingerprint>>) =>
  Object.fromEntries(Object.entries(print.tables).map(([name, table]) => [name, table.rows]));

async function publicTableCount(url: string): Promise<number> {
  return withClient(url, async (client) => (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n);
}

/** Every file under a folder (relative path → SHA-256), leaving out upload staging. */
async function folderDigests(folder: string): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(folder, file);
    if (relative.startsWith("staging")) continue;
    digests[relative] = createHash("sha256").update(await readFile(file)).digest("hex");
  }
  return digests;
}

async function archiveEntries(file: string): Promise<{ path: string; body: Buffer }[]> {
  const entries: { path: string; body: Buffer }[] = [];
  await readArchive(file, async (entry) => {
    const chunks: Buffer[] = [];
    for await (const chunk of entry.body) chunks.push(chunk);
    entries.push({ path: entry.path, body: Buffer.concat(chunks) });
  });
  return entries;
}

/** A copy of an archive with some entries edited (what a damaged, tampered or foreign backup looks like). */
async function withEditedEntries(file: string, edit: (entries: { path: string; body: Buffer }[]) => void): Promise<string> {
  const entries = await archiveEntries(file);
  edit(entries);
  const edited = `${file}.edited-${uniqueSuffix()}.tar.gz`;
  const inputs: ArchiveEntry[] = entries.map((entry) => ({ path: entry.path, size: entry.body.length, body: entry.body }));
  await pipeline(packArchive(inputs), gzipMembers, createWriteStream(edited));
  return edited;
}

const withEditedManifest = (file: string, edit: (manifest: Record<string, unknown>) => void) =>
  withEditedEntries(file, (entries) => {
    const manifest = JSON.parse(entries[0]!.body.toString()) as Record<string, unknown>;
    edit(manifest);
    entries[0]!.body = Buffer.from(JSON.stringify(manifest));
  });

async function backupOfSource(): Promise<string> {
  const out = path.join(await scratchFolder("tally-backup-archive-"), "backup.tar.gz");
  await createBackup({ databaseUrl: source.url, instance: filesystemInstance(sourceHome), out, tallyVersion: "test" });
  return out;
}

describe("backup and restore", () => {
  it("restores an identical instance into an empty TALLY_HOME, and the restored server serves it", async () => {
    const built = await buildProject();
    const folder = await scratchFolder("tally-backup-out-");
    const archive = path.join(folder, "tally.tar.gz");

    const backup = await admin(["backup", "--out", archive], instanceEnv(source.url, sourceHome));
    expect(backup.stderr).not.toMatch(/error/);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Wrote .*tally\.tar\.gz \([\d.]+ MiB\) in [\d.]+ s: \d+ rows from \d+ tables, \d+ artifact file\(s\)/);
    expect(await readdir(folder)).toEqual(["tally.tar.gz"]);
    // A second backup never overwrites the first.
    const again = await admin(["backup", "--out", archive], instanceEnv(source.url, sourceHome));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");

    const target = await emptyDatabase();
    const targetHome = await scratchFolder("tally-restore-home-");
    const restored = await admin(["restore", archive], instanceEnv(target.url, targetHome));
    expect(restored.stderr).not.toMatch(/error/);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^Restored the backup of .* rows into \d+ tables, \d+ artifact file\(s\)/);

    // Same rows in every table (digests over every row), same sequences, same files, same secret.
    const [before, after] = [await fingerprint(source.url), await fingerprint(target.url)];
    expect(after).toEqual(before);
    for (const table of ["Run", "MetricPoint", "Param", "RunTag", "ModelVersion", "ModelAlias", "RegistryEvent", "AuditEvent", "LineageEdge"]) {
      expect(after.tables[table]!.rows, table).toBeGreaterThan(0);
    }
    expect(await folderDigests(path.join(targetHome, "artifacts"))).toEqual(await folderDigests(path.join(sourceHome, "artifacts")));
    expect(await readFile(path.join(targetHome, "auth-secret"), "utf8")).toBe(await readFile(path.join(sourceHome, "auth-secret"), "utf8"));

    const ledger = await admin(["verify-ledger", "--project", built.slug], instanceEnv(target.url, targetHome));
    expect(ledger.code).toBe(0);
    expect(ledger.stdout).toMatch(/is intact/);

    const server = await startTally({ DATABASE_URL: target.url, TALLY_HOME: targetHome });
    const api = (endpoint: string, init: RequestInit = {}) =>
      fetch(`${server}/projects/${built.slug}/api/2.0/${endpoint}`, {
        ...init,
        headers: { authorization: `Bearer ${built.token}`, "content-type": "application/json" },
      });
    const run = await api(`mlflow/runs/get?run_id=${built.train.id}`);
    expect(run.status).toBe(200);
    const { run: served } = (await run.json()) as { run: { info: { run_name: string }; data: { params: { key: string; value: string }[] } } };
    expect(served.info.run_name).toBe("train");
    expect(served.data.params).toContainEqual({ key: "notes", value: 'quotes " commas, newlines\nand ünïcödé' });
    const artifact = await api(`mlflow-artifacts/artifacts/${built.artifactRoot}/model/model.pkl`);
    expect(artifact.status).toBe(200);
    expect(Buffer.from(await artifact.arrayBuffer()).equals(modelBytes)).toBe(true);
    // The restored instance keeps going: new rows take fresh ids and extend the ledger.
    const version = await api("mlflow/model-versions/create", {
      method: "POST",
      body: JSON.stringify({ name: built.model, source: `runs:/${built.train.id}/model`, run_id: built.train.id }),
    });
    expect(version.status).toBe(200);
    expect(((await version.json()) as { model_version: { version: string } }).model_version.version).toBe("3");
    expect((await admin(["verify-ledger", "--project", built.slug], instanceEnv(target.url, targetHome))).code).toBe(0);
  }, 240_000);

  it("takes one consistent snapshot while writes go on, without holding them up", async () => {
    const built = await buildProject();
    const run = await createRun(built.access, { experimentId: "0", runName: "busy", startTime: Date.now(), tags: [] });
    const BATCH = 50;
    let batches = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await logBatch(built.access, run.id, {
          params: [],
          tags: [],
          metrics: Array.from({ length: BATCH }, (_, index) => ({ key: "loss", value: Math.random(), timestamp: Date.now(), step: batches * BATCH + index })),
        });
        batches++;
        if (batches % 5 === 0) await createModelVersion(built.access, built.model, { source: `runs:/${run.id}/model`, runId: run.id });
      }
    })();
    while (batches < 3) await sleep(20);

    const archive = path.join(await scratchFolder("tally-backup-busy-"), "busy.tar.gz");
    const batchesAtStart = batches;
    const backup = await admin(["backup", "--out", archive], instanceEnv(source.url, sourceHome));
    const batchesAtEnd = batches;
    writing = false;
    await writer;
    expect(backup.code).toBe(0);
    expect(batchesAtEnd).toBeGreaterThan(batchesAtStart);

    const target = await emptyDatabase();
    const targetHome = await scratchFolder("tally-restore-busy-");
    await restoreBackup({ databaseUrl: target.url, instance: filesystemInstance(targetHome), file: archive });

    const manifest = JSON.parse((await archiveEntries(archive))[0]!.body.toString()) as { tables: { name: string; rows: number }[] };
    const restored = await fingerprint(target.url);
    expect(rowCounts(restored)).toEqual(Object.fromEntries(manifest.tables.map((table) => [table.name, table.rows])));
    // Each batch is one transaction: the snapshot holds whole batches, never part of one.
    const points = await withClient(target.url, async (client) =>
      Number((await client.query(`SELECT count(*) AS n FROM "MetricPoint" p JOIN "Run" r ON r.seq = p."runSeq" WHERE r.id = $1`, [run.id])).rows[0].n),
    );
    expect(points % BATCH).toBe(0);
    expect(points / BATCH).toBeGreaterThanOrEqual(batchesAtStart);
    expect(points / BATCH).toBeLessThanOrEqual(batchesAtEnd);
    const ledger = await admin(["verify-ledger", "--project", built.slug], instanceEnv(target.url, targetHome));
    expect(ledger.code).toBe(0);
  }, 120_000);

  it("refuses a target that holds data, changing nothing", async () => {
    await buildProject();
    const archive = await backupOfSource();

    const before = await fingerprint(source.url);
    const intoSource = await admin(["restore", archive], instanceEnv(source.url, await scratchFolder("tally-restore-")));
    expect(intoSource.code).toBe(1);
    expect(intoSource.stderr).toMatch(/error: The target database is not empty \(.*hold rows\)/);
    expect(await fingerprint(source.url)).toEqual(before);

    const target = await emptyDatabase();
    const usedHome = await scratchFolder("tally-restore-used-");
    await new FilesystemObjectStore(path.join(usedHome, "artifacts")).put("p/file.txt", Buffer.from("kept"));
    const intoUsedHome = await admin(["restore", archive], instanceEnv(target.url, usedHome));
    expect(intoUsedHome.code).toBe(1);
    expect(intoUsedHome.stderr).toMatch(/error: The artifact folder .* is not empty/);
    expect(await publicTableCount(target.url)).toBe(0);
    expect(await readFile(path.join(usedHome, "artifacts", "objects", "p", "file.txt"), "utf8")).toBe("kept");

    const usage = await admin(["restore"], instanceEnv(target.url, usedHome));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("restore: missing <FILE>");
  }, 120_000);

  it("refuses a damaged, cut or foreign archive with a clear error, leaving the target as it was", async () => {
    await buildProject();
    const archive = await backupOfSource();
    const folder = path.dirname(archive);
    const target = await emptyDatabase();
    const home = await scratchFolder("tally-restore-bad-");
    const attempt = (file: string) => restoreBackup({ databaseUrl: target.url, instance: filesystemInstance(home), file });
    const untouched = async () => {
      expect(await publicTableCount(target.url)).toBe(0);
      expect(await readdir(home)).toEqual([]);
    };

    const random = path.join(folder, "random.bin");
    await writeFile(random, randomBytes(4096));
    await expect(attempt(random)).rejects.toThrow(/cannot be restored: it is not a gzip-compressed Tally backup/);
    await untouched();

    const bytes = await readFile(archive);
    const cut = path.join(folder, "cut.tar.gz");
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    await expect(attempt(cut)).rejects.toThrow(/cannot be restored: .*(cut short|damaged)/);
    await untouched();

    const miscounted = await withEditedManifest(archive, (manifest) => {
      const tables = manifest.tables as { name: string; rows: number }[];
      tables.find((table) => table.name === "MetricPoint")!.rows += 1;
    });
    await expect(attempt(miscounted)).rejects.toThrow(/table MetricPoint holds \d+ rows where its manifest counts \d+/);
    await untouched();

    const tampered = await withEditedEntries(archive, (entries) => {
      const points = entries.find((entry) => entry.path.startsWith("database/MetricPoint/"))!;
      // A row PostgreSQL refuses, with plenty after it still on its way when it does.
      points.body = Buffer.concat([Buffer.from("not,a,metric,point\n"), Buffer.alloc(32 * 2 ** 20, "1,loss,0,0,0.5\n")]);
    });
    await expect(attempt(tampered)).rejects.toThrow(/cannot be restored: the data of table MetricPoint does not load: /);
    await untouched();

    const newer = await withEditedManifest(archive, (manifest) => {
      (manifest.migrations as { name: string; checksum: string }[]).push({ name: "29991231000000_future", checksum: "0".repeat(64) });
    });
    await expect(attempt(newer)).rejects.toThrow(/made by a newer Tally .* migration 29991231000000_future/);
    await untouched();

    const other = path.join(folder, "other.tar.gz");
    await pipeline(packArchive([{ path: "hello.txt", size: 2, body: Buffer.from("hi") }]), gzipMembers, createWriteStream(other));
    const cli = await admin(["restore", other], instanceEnv(target.url, home));
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("cannot be restored: it does not start with manifest.json: it is not a Tally backup");
    await untouched();
  }, 120_000);

  it("with the S3 store, records the bucket's inventory and reports what the bucket lost since", async () => {
    await buildProject();
    const s3 = await startS3Server();
    cleanups.push(() => s3.stop());
    const store = new S3ObjectStore({
      endpoint: s3.endpoint,
      publicEndpoint: s3.endpoint,
      bucket: `tally-backup-${uniqueSuffix()}`,
      region: "us-east-1",
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      pathStyle: true,
    });
    for (const key of ["p/1/a.bin", "p/1/b.bin", "p/2/c.bin"]) await store.put(key, randomBytes(1000));
    const instance = (home: string): InstanceFiles => ({
      home,
      authSecretFromEnvironment: true,
      artifacts: { store: "s3", inventory: { bucket: store.bucket, objects: () => store.inventory() } },
    });
    const out = path.join(await scratchFolder("tally-backup-s3-"), "s3.tar.gz");
    const backup = await createBackup({ databaseUrl: source.url, instance: instance(sourceHome), out, tallyVersion: "test" });
    expect(backup.artifacts).toEqual({ store: "s3", files: 3, bytes: 3000 });
    const inventory = (await archiveEntries(out)).find((entry) => entry.path.startsWith("artifacts/s3-inventory/"))!;
    expect(inventory.body.toString().trim().split("\n").map((line) => JSON.parse(line) as { key: string }).map((line) => line.key)).toEqual([
      "p/1/a.bin",
      "p/1/b.bin",
      "p/2/c.bin",
    ]);

    await store.delete("p/1/a.bin");
    await store.put("p/2/c.bin", randomBytes(1000));
    const target = await emptyDatabase();
    const summary = await restoreBackup({ databaseUrl: target.url, instance: instance(await scratchFolder("tally-restore-s3-")), file: out });
    expect(summary.bucket).toMatchObject({ missing: 1, changed: 1, files: 3 });
    expect(summary.notes.join("\n")).toMatch(/1 object\(s\) missing, 1 changed \(e\.g\. p\/1\/a\.bin \(missing\), p\/2\/c\.bin \(changed\)\)/);
    expect(summary.notes.join("\n")).toMatch(/took its secret from TALLY_AUTH_SECRET/);

    const wrongStore = await restoreBackup({ databaseUrl: target.url, instance: filesystemInstance(await scratchFolder("tally-restore-fs-")), file: out }).catch(
      (error: Error) => error.message,
    );
    expect(wrongStore).toMatch(/artifacts are in the S3 bucket "tally-backup-.*", but this instance stores artifacts in a folder/);
    expect(await stat(out).then((info) => info.size)).toBe(backup.bytes);
  }, 120_000);
});
