/**
 * npm run bench:backup [-- --runs 10000 --points 1000000 --artifact-mib 1024]
 *
 * The time `backup` and `restore` take for a project of 10,000 runs (20 params and 20 latest metrics
 * each), 1,000,000 metric points and 1 GiB of artifacts (one file per run plus one large model; random
 * bytes, as trained weights are, so compression gains nothing). The data is written in bulk with SQL
 * and plain files, which is not what is measured; the backup and restore are the real ones, into a
 * fresh database and TALLY_HOME, and their row counts and bytes are checked afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../../server/db/migrate";
import { createBackup, restoreBackup, type InstanceFiles } from "../../server/ops/backup";
import { startScratchPostgres } from "../../server/runtime/embedded-postgres";
import { seedRuns } from "./seed-runs";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10000" },
    points: { type: "string", default: "1000000" },
    "artifact-mib": { type: "string", default: "1024" },
  },
});
const runCount = Number(values.runs);
const pointCount = Number(values.points);
const artifactBytes = Number(values["artifact-mib"]) * 2 ** 20;

const postgres = await startScratchPostgres();
const scratch = await mkdtemp(path.join(tmpdir(), "tally-bench-backup-"));
const instance = (home: string): InstanceFiles => ({
  home,
  authSecretFromEnvironment: false,
  artifacts: { store: "filesystem", folder: path.join(home, "artifacts") },
});
const benchStart = performance.now();
const progress = (line: string) => console.log(`  [${((performance.now() - benchStart) / 1000).toFixed(1)} s] ${line}`);
/** Samples this process's resident memory until stopped; the highest value seen, in bytes. */
function sampleMemory(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** User + system CPU seconds since `since`. */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return ((used.user + used.system) / 1e6).toFixed(1);
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

try {
  const sourceHome = path.join(scratch, "source");
  const targetHome = path.join(scratch, "target");
  await mkdir(targetHome, { recursive: true });
  await applyMigrations(postgres.url);

  const started = performance.now();
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  const projectId = await seedDatabase(client);
  await client.end();
  const files = await seedArtifacts(sourceHome, projectId);
  console.log(
    `seeded ${runCount} runs, ${pointCount} metric points and ${files.count} artifact files (${mib(files.bytes)}) ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const archive = path.join(scratch, "tally.tar.gz");
  let cpu = process.cpuUsage();
  let memory = sampleMemory();
  const backup = await createBackup({ databaseUrl: postgres.url, instance: instance(sourceHome), out: archive, tallyVersion: "bench", progress });
  const backupMemory = memory.stop();
  console.log(
    `backup:  ${backup.seconds.toFixed(1)} s  (${backup.rows} rows in ${backup.tables} tables, ${backup.artifacts.files} files, ` +
      `${mib(backup.artifacts.bytes)}) → archive ${mib(backup.bytes)}; CPU ${cpuSeconds(cpu)} s, peak memory ${mib(backupMemory)}`,
  );

  const admin = new pg.Client({ connectionString: postgres.url.replace(/\/tally$/, "/postgres") });
  await admin.connect();
  await admin.query("CREATE DATABASE restored");
  await admin.end();
  const targetUrl = postgres.url.replace(/\/tally$/, "/restored");
  cpu = process.cpuUsage();
  memory = sampleMemory();
  const restored = await restoreBackup({ databaseUrl: targetUrl, instance: instance(targetHome), file: archive, progress });
  const restoreMemory = memory.stop();
  console.log(
    `restore: ${restored.seconds.toFixed(1)} s  (${restored.rows} rows, ${restored.artifacts.files} files, ` +
      `${mib(restored.artifacts.bytes)}); CPU ${cpuSeconds(cpu)} s, peak memory ${mib(restoreMemory)}`,
  );

  const check = new pg.Client({ connectionString: targetUrl });
  await check.connect();
  const points = Number((await check.query(`SELECT count(*) AS n FROM "MetricPoint"`)).rows[0].n);
  await check.end();
  if (points !== pointCount || restored.artifacts.bytes !== files.bytes) {
    throw new Error(`restored ${points} points and ${restored.artifacts.bytes} bytes; expected ${pointCount} and ${files.bytes}`);
  }
  const bigModel = path.join("artifacts", "objects", projectId, "1", "model", "weights.bin");
  if ((await stat(path.join(targetHome, bigModel))).size !== (await stat(path.join(sourceHome, bigModel))).size) {
    throw new Error("the large model was not restored whole");
  }
  console.log("(CPU and memory: this process only; PostgreSQL's own work runs in its processes)");
} finally {
  await postgres.stop();
  await rm(scratch, { recursive: true, force: true });
}

/** One project, one experiment, the runs with their params and latest metrics, and the points. */
async function seedDatabase(client: pg.Client): Promise<string> {
  const projectId = "benchbackupproject0000000";
  await client.query(`INSERT INTO "Project" (id, slug, name, "updatedAt") VALUES ($1, 'bench', 'Bench', now())`, [projectId]);
  await client.query(
    `INSERT INTO "Experiment" (id, "projectId", number, name, "artifactLocation", "creationTime", "lastUpdateTime")
     VALUES ('benchbackupexperiment0000', $1, 1, 'backup-bench', 'mlflow-artifacts:/1', 1700000000000, 1700000000000)`,
    [projectId],
  );
  await seedRuns(client, "1", runCount);
  const perRun = Math.ceil(pointCount / runCount);
  await client.query(
    `INSERT INTO "MetricPoint" ("runSeq", key, step, timestamp, value)
     SELECT r.seq, 'loss', s, 1700000000000 + s * 1000, random()
     FROM "Run" r, generate_series(0, $1::int - 1) s
     ORDER BY r.seq, s
     LIMIT $2`,
    [perRun, pointCount],
  );
  return projectId;
}

/** One file per run, and one large model file, filling `artifactBytes`. */
async function seedArtifacts(home: string, projectId: string): Promise<{ count: number; bytes: number }> {
  const objects = path.join(home, "artifacts", "objects", projectId, "1");
  const perRun = Math.floor((artifactBytes * 0.95) / runCount);
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  const runIds = (await client.query<{ id: string }>(`SELECT id FROM "Run" ORDER BY seq`)).rows.map((row) => row.id);
  await client.end();
  for (const runId of runIds) {
    const folder = path.join(objects, runId, "artifacts");
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, "model.pkl"), randomBytes(perRun));
  }
  const large = artifactBytes - perRun * runIds.length;
  await mkdir(path.join(objects, "model"), { recursive: true });
  const chunk = 64 * 2 ** 20;
  for (let written = 0; written < large; written += chunk) {
    await writeFile(path.join(objects, "model", "weights.bin"), randomBytes(Math.min(chunk, large - written)), { flag: "a" });
  }
  return { count: runIds.length + 1, bytes: perRun * runIds.length + large };
}
