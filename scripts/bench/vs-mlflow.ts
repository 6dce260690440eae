/**
 * npm run bench:vs-mlflow [-- --scale 1 --mlflow-workers <TALLY_WEB_PROCESSES, else cores>]
 *
 * Tally's production server against MLflow's own tracking server (installed from PyPI at the version
 * of the client the compatibility suite pins), one after the other, each on a fresh embedded
 * PostgreSQL made with the same settings, with the same client and the same requests. See docs/performance.md for the
 * workloads and how to read the table. Exits 1 when either server stored or answered something other
 * than what was sent, or the two searches disagree.
 */
import { createHash } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { startScratchPostgres } from "../../server/runtime/embedded-postgres";
import { startBenchInstance } from "./instance";
import { mlflowClient, type MlflowClient } from "./mlflow-client";
import { installMlflowServer, startMlflowServer } from "./mlflow-server";
import { loadAtScale, runWorkloads, type ServerResults, type VsLoad } from "./vs-mlflow-workloads";

// As many processes for each server: Tally's bench instance runs this many web processes too.
const tallyProcesses = process.env.TALLY_WEB_PROCESSES ?? String(availableParallelism());
const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    "mlflow-workers": { type: "string", default: tallyProcesses },
  },
});
const load = loadAtScale(Number(values.scale));
const mlflowWorkers = Number(values["mlflow-workers"]);
const uptime = () => `load average ${loadavg().map((value) => value.toFixed(2)).join(", ")}; ${cpuProbe()}`;

/**
 * How long one core takes for a fixed piece of work (hashing 64 MiB), printed beside the load
 * average: when it grows between the two servers' parts, the machine itself got slower (a busy or
 * throttled host), and the second server's numbers suffer for it.
 */
function cpuProbe(): string {
  const data = Buffer.alloc(64 * 2 ** 20, 1);
  const started = performance.now();
  createHash("sha256").update(data).digest();
  return `64 MiB hashed in ${(performance.now() - started).toFixed(0)} ms`;
}

const mlflow = installMlflowServer();
console.log(describeLoad(load));

console.log(`\n── MLflow (${uptime()}) ──`);
const mlflowResults = await onFreshPostgres(async (url) => {
  const mlflowServer = await startMlflowServer(mlflow, { databaseUrl: await createDatabase(url, "mlflow"), port: 3431, workers: mlflowWorkers });
  console.log(mlflowServer.description);
  return measure(mlflowClient(mlflowServer.url), mlflowServer.stop);
});

console.log(`\n── Tally, production build, TALLY_WEB_PROCESSES=${tallyProcesses} (${uptime()}) ──`);
const tallyResults = await onFreshPostgres(async (url) => {
  const tally = await startBenchInstance(3430, 1, { databaseUrl: url });
  return measure(mlflowClient(tally.url, tally.token), tally.stop);
});
console.log(`\n(${uptime()})\n`);

console.log(comparisonTable(mlflowResults, tallyResults));
const problems = [
  ...mlflowResults.problems.map((problem) => `MLflow: ${problem}`),
  ...tallyResults.problems.map((problem) => `Tally: ${problem}`),
  ...(mlflowResults.searchOrder.join() === tallyResults.searchOrder.join() ? [] : ["the two servers' runs/search results differ (names or order)"]),
];
if (problems.length > 0) {
  console.error(`\n✖ correctness: ${problems.length} problem(s)\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  process.exitCode = 1;
} else {
  console.log("\n✔ correctness: every point and run stored exactly once on both servers; both searches returned the same runs in the same order");
}

async function measure(client: MlflowClient, stop: () => Promise<void>): Promise<ServerResults> {
  try {
    return await runWorkloads(client, load, (line) => console.log(`  ${line}`));
  } finally {
    client.close();
    await stop();
  }
}

/**
 * Runs `work` on a PostgreSQL of its own, made with the same settings on the same disk each time.
 * Run one after the other on one PostgreSQL (a database each), the second server was slower on every
 * workload: a second Tally on the same cluster measured 95,000–117,000 bulk points/s against
 * 201,000–209,000 for the first, with no checkpoint in between (docs/performance.md).
 */
async function onFreshPostgres<T>(work: (url: string) => Promise<T>): Promise<T> {
  const postgres = await startScratchPostgres();
  try {
    return await work(postgres.url);
  } finally {
    await postgres.stop();
  }
}

async function createDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const database = new URL(url);
  database.pathname = `/${name}`;
  return database.toString();
}

function describeLoad(shape: VsLoad): string {
  return [
    `${shape.clients} concurrent clients per workload:`,
    `  bulk log-batch: ${shape.bulkBatches} batches of 1,000 points per writer`,
    `  runs/log-metric: ${shape.singlePoints} single-point requests per writer`,
    `  seeding: ${shape.seededRuns} runs (create, log-batch of 3 params, 3 metrics, 2 tags, update FINISHED)`,
    `  runs/get: ${shape.gets} per reader; runs/search: ${shape.searches} per reader`,
    `  get-history: ${shape.historyReads} full reads of a ${shape.historyPoints}-point metric`,
  ].join("\n");
}

interface Row {
  workload: string;
  mlflow: string;
  tally: string;
  /** How many times better Tally did. */
  ratio: number;
  /** Targets Tally missed, empty when met. */
  missed: string[];
}

function comparisonTable(mlflowResults: ServerResults, tallyResults: ServerResults): string {
  const number = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const rate = (perSecond: number, unit: string) => `${number(perSecond, perSecond < 100 ? 1 : 0)} ${unit}/s`;
  const latency = (result: { p50Ms: number; p99Ms: number }) => `p50 ${number(result.p50Ms, 1)} / p99 ${number(result.p99Ms, 1)} ms`;
  const atLeast = (value: number, floor: number, unit: string) => (value >= floor ? [] : [`${number(value)} < ${number(floor)} ${unit}`]);
  const tenTimes = (ratio: number) => (ratio >= 10 ? [] : [`${number(ratio, 1)}x < 10x`]);

  const throughputRow = (workload: string, unit: string, pick: (results: ServerResults) => { perSecond: number; p50Ms: number; p99Ms: number }, targets: (tally: { perSecond: number; p99Ms: number }) => string[]): Row => {
    const [m, t] = [pick(mlflowResults), pick(tallyResults)];
    const ratio = t.perSecond / m.perSecond;
    return {
      workload,
      mlflow: `${rate(m.perSecond, unit)}, ${latency(m)}`,
      tally: `${rate(t.perSecond, unit)}, ${latency(t)}`,
      ratio,
      missed: [...targets(t), ...tenTimes(ratio)],
    };
  };
  const bulkOf = (results: ServerResults) => ({ ...results.bulk, perSecond: results.bulk.pointsPerSecond });
  const rows: Row[] = [
    throughputRow("a. bulk log-batch (1,000 points)", "points", bulkOf, (t) => atLeast(t.perSecond, 150_000, "points/s")),
    throughputRow("b. single-point runs/log-metric", "req", (results) => results.single, (t) => [
      ...atLeast(t.perSecond, 3_000, "req/s"),
      ...(t.p99Ms < 20 ? [] : [`p99 ${number(t.p99Ms, 1)} ≥ 20 ms`]),
    ]),
    throughputRow("c. seeding runs (create, log-batch, update; latency per run)", "runs", (results) => results.seeding, () => []),
    throughputRow("d. runs/get", "req", (results) => results.get, (t) => atLeast(t.perSecond, 2_000, "req/s")),
    throughputRow("e. runs/search (metric + param filter, order by metric)", "req", (results) => results.search, () => []),
  ];
  const [m, t] = [mlflowResults.history, tallyResults.history];
  const historyRatio = m.secondsPerRead / t.secondsPerRead;
  rows.push({
    workload: "f. full metrics/get-history (median of reads)",
    mlflow: `${number(m.secondsPerRead, 2)} s per read (${m.pages} page${m.pages === 1 ? "" : "s"})`,
    tally: `${number(t.secondsPerRead, 2)} s per read (${t.pages} page${t.pages === 1 ? "" : "s"})`,
    ratio: historyRatio,
    missed: tenTimes(historyRatio),
  });

  const cells = [
    ["workload", "MLflow", "Tally", "ratio", "target met?"],
    ...rows.map((row) => [row.workload, row.mlflow, row.tally, `${number(row.ratio, 1)}x`, row.missed.length === 0 ? "yes" : `no: ${row.missed.join("; ")}`]),
  ];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
  const line = (values: string[]) => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(" | ")} |`;
  return [line(cells[0]!), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...cells.slice(1).map(line)].join("\n");
}
