/**
 * A disposable Tally for the browser and MLflow-compatibility tests: the production build (run
 * `next build` first) on a fresh throwaway PostgreSQL and TALLY_HOME, so every run starts from
 * "no accounts yet". When it answers, it prints one line
 * `TALLY_TEST_INSTANCE {"url": ..., "databaseUrl": ..., "replicas": [...]}` for harnesses that need the
 * database too. With TALLY_TEST_REPLICAS=n it runs n servers on that database (ports TALLY_TEST_PORT,
 * +1, …), as replicas behind a load balancer would; `url` is the first, `replicas` all of them.
 * With TALLY_TEST_DATABASE_URL it migrates and uses that (empty) database instead of a throwaway
 * PostgreSQL, and leaves it running: for benchmarks that compare servers on one PostgreSQL.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { applyMigrations } from "../server/db/migrate";
import { startScratchPostgres } from "../server/runtime/embedded-postgres";
import { WEB_PROCESS_NODE_FLAGS } from "../server/runtime/web-processes";
import { TEST_INSTANCE_AUTH_SECRET, TEST_INSTANCE_SETUP_TOKEN } from "./test-instance-settings";

const port = Number(process.env.TALLY_TEST_PORT ?? "3100");
const replicaCount = Number(process.env.TALLY_TEST_REPLICAS ?? "1");
const root = path.resolve(import.meta.dirname, "..");
const givenDatabase = process.env.TALLY_TEST_DATABASE_URL;
const postgres = givenDatabase ? { url: givenDatabase, stop: async () => {} } : await startScratchPostgres();
await applyMigrations(postgres.url);
const home = await mkdtemp(path.join(tmpdir(), "tally-e2e-"));
// A signal may end this process from embedded-postgres's own exit hook, before shutdown() finishes.
process.once("exit", () => rmSync(home, { recursive: true, force: true }));

const urls = Array.from({ length: replicaCount }, (_, index) => `http://127.0.0.1:${port + index}`);
const url = urls[0]!;
const servers = urls.map((_, index) =>
  spawn(
    process.execPath,
    [...WEB_PROCESS_NODE_FLAGS, "--import", "tsx", path.join(root, "scripts/serve.ts"), "--port", String(port + index), "--hostname", "127.0.0.1"],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        DATABASE_URL: postgres.url,
        TALLY_HOME: home,
        TALLY_SIGNUP: "invite",
        TALLY_AUTH_SECRET: TEST_INSTANCE_AUTH_SECRET,
        TALLY_SETUP_TOKEN: TEST_INSTANCE_SETUP_TOKEN,
        // Its public address: links it writes (a promotion request's URL in an MLflow refusal) point here.
        TALLY_URL: url,
        NEXTAUTH_URL: url,
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
        // One web process each unless the caller asks for more: the test suites run many servers at once.
        TALLY_WEB_PROCESSES: process.env.TALLY_WEB_PROCESSES ?? "1",
      },
    },
  ),
);

for (const replicaUrl of urls) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const healthy = await fetch(`${replicaUrl}/api/health`).then((response) => response.ok, () => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
console.log(`TALLY_TEST_INSTANCE ${JSON.stringify({ url, databaseUrl: postgres.url, replicas: urls })}`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    servers.map(async (server) => {
      if (server.exitCode !== null) return;
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }),
  );
  await postgres.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
for (const server of servers) server.on("exit", () => void shutdown());
