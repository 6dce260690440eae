/**
 * `npm run demo`: fills a Tally with a realistic project so a newcomer sees dashboards, runs, charts
 * and artifacts straight away. Everything is logged through the MLflow REST API with a project token,
 * exactly as a training job would; only the project and its token are made with the admin CLI.
 *
 *   npm run demo -- --owner you@example.com [--project demo] [--url http://localhost:3000]
 *   npm run demo -- --token tly_... [--url ...]      (log into the token's existing project)
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { MlflowRest } from "./demo/mlflow-rest";
import { seedDemo } from "./demo/scenarios";

const root = path.resolve(import.meta.dirname, "..");
const USAGE =
  "Usage: npm run demo -- --owner <email of an existing account> [--project <slug>] [--url <Tally URL>]\n" +
  "   or: npm run demo -- --token <project token with write scope> [--url <Tally URL>]";

class DemoError extends Error {}

function admin(...args: string[]): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/admin.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new DemoError(result.stderr.trim().replace(/^error: /, ""));
  return result.stdout.trim();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      owner: { type: "string" },
      project: { type: "string", default: "demo" },
      token: { type: "string" },
      url: { type: "string", default: `http://localhost:${process.env.PORT ?? 3000}` },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (!values.owner && !values.token) throw new DemoError(`say whose demo project it is.\n${USAGE}`);
  const base = values.url.replace(/\/+$/, "");

  const health = await fetch(`${base}/api/health`).catch(() => null);
  if (!health?.ok) throw new DemoError(`no Tally answers at ${base}. Start it with \`npm start\` (or pass --url).`);

  let trackingUri = base;
  let token = values.token;
  if (!token) {
    const slug = values.project;
    admin("create-project", "--slug", slug, "--name", "Demo: vision, churn and LLM fine-tuning", "--owner", values.owner!);
    token = admin("create-token", "--project", slug, "--name", "demo data", "--scopes", "read,write");
    trackingUri = `${base}/projects/${slug}`;
  }

  const started = Date.now();
  const summary = await seedDemo(new MlflowRest(trackingUri, token), started, (line) => console.log(`  ${line}`));
  const who = await (await fetch(`${base}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } })).json();
  const slug = (who as { project?: { slug?: string } }).project?.slug ?? values.project;
  console.log(
    `Logged ${summary.runs} runs in ${summary.experiments} experiments (${summary.points.toLocaleString("en")} metric points, ` +
      `${summary.artifacts} artifacts) in ${((Date.now() - started) / 1000).toFixed(1)} s.\nOpen ${base}/projects/${slug}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof DemoError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
