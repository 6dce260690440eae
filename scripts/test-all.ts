/**
 * `npm test`: every check CI runs, in order, stopping at the first failure:
 * types, lint, dependency rules, a production build, unit + integration + SDK tests (Vitest, real
 * PostgreSQL; some serve the build), browser tests (Playwright on Debian chromium) and the MLflow
 * client compatibility suite (pytest, real `mlflow` client). Ends with one "N passed, N failed" line.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensurePythonVenv } from "./python-venv";

const root = path.resolve(import.meta.dirname, "..");
const results = path.join(root, "test-results");
mkdirSync(results, { recursive: true });
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

interface Step {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  count?: () => { passed: number; failed: number };
}

const venvPython = path.join(root, ".venv", "bin", "python");
const vitestJson = path.join(results, "vitest.json");
const compatXml = path.join(results, "compat.xml");
const playwrightJson = path.join(results, "playwright.json");

const steps: Step[] = [
  { name: "typecheck", command: bin("tsc"), args: ["--noEmit"] },
  { name: "lint", command: bin("eslint"), args: ["--max-warnings", "0", "."] },
  { name: "dependency rules", command: "npm", args: ["run", "-s", "lint:deps"] },
  { name: "production build", command: bin("next"), args: ["build"] },
  {
    // After the build: the SDK's end-to-end tests serve it.
    name: "unit + integration tests",
    command: bin("vitest"),
    args: ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`],
    count: () => {
      const report = JSON.parse(readFileSync(vitestJson, "utf8")) as { numPassedTests: number; numFailedTests: number; numFailedTestSuites: number };
      // A file whose beforeAll throws fails as a suite, its tests only skipped.
      return { passed: report.numPassedTests, failed: Math.max(report.numFailedTests, report.numFailedTestSuites) };
    },
  },
  {
    name: "browser tests",
    command: bin("playwright"),
    args: ["test", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
    count: () => {
      const report = JSON.parse(readFileSync(playwrightJson, "utf8")) as {
        stats: { expected: number; unexpected: number; flaky: number };
      };
      return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected };
    },
  },
  {
    name: "MLflow client compatibility",
    command: venvPython,
    args: ["-m", "pytest", "compat", "-q", "-p", "no:cacheprovider", `--junitxml=${compatXml}`],
    count: () => {
      const suite = readFileSync(compatXml, "utf8").match(/<testsuite [^>]*>/)?.[0] ?? "";
      const attribute = (name: string) => Number(new RegExp(`${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
      const failed = attribute("failures") + attribute("errors");
      return { passed: attribute("tests") - failed - attribute("skipped"), failed };
    },
  },
];

try {
  // The compatibility suite drives the real mlflow client from this virtualenv.
  ensurePythonVenv(path.join(root, ".venv"), path.join(root, "compat", "requirements.txt"), () =>
    console.log("\n━━ preparing the Python environment for the MLflow compatibility suite ━━"),
  );
} catch (error) {
  console.error(`✖ ${(error as Error).message}`);
  process.exit(1);
}

let passed = 0;
let failed = 0;
const timings: string[] = [];
rmSync(vitestJson, { force: true });
rmSync(compatXml, { force: true });
rmSync(playwrightJson, { force: true });
// The browser specs each add their pages' timings to this file; start it empty.
rmSync(path.join(results, "page-timings.json"), { force: true });
for (const step of steps) {
  const started = Date.now();
  console.log(`\n━━ ${step.name} ━━`);
  const run = spawnSync(step.command, step.args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...step.env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push(`${step.name}: ${seconds} s`);
  if (step.count) {
    try {
      const counted = step.count();
      passed += counted.passed;
      failed += counted.failed;
    } catch {
      // the runner died before writing its report; the exit status below says so
    }
  }
  if (run.status !== 0) {
    console.error(`\n✖ ${step.name} failed (exit ${run.status ?? run.signal}).`);
    console.log(`\n${timings.join("\n")}`);
    console.log(`${passed} passed, ${Math.max(failed, 1)} failed`);
    process.exit(1);
  }
}
console.log(`\n${timings.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
// A runner's exit status alone is not trusted: vitest has exited 0 with a failed test in its report.
if (failed > 0) process.exit(1);
