/**
 * `npm test`: every check CI runs, in order, stopping at the first failure:
 * types, lint, dependency rules, unit + integration tests (Vitest, real PostgreSQL), a production
 * build, and browser tests (Playwright on Debian chromium). Ends with one "N passed, N failed" line.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

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

const vitestJson = path.join(results, "vitest.json");
const playwrightJson = path.join(results, "playwright.json");

const steps: Step[] = [
  { name: "typecheck", command: bin("tsc"), args: ["--noEmit"] },
  { name: "lint", command: bin("eslint"), args: ["--max-warnings", "0", "."] },
  { name: "dependency rules", command: "npm", args: ["run", "-s", "lint:deps"] },
  {
    name: "unit + integration tests",
    command: bin("vitest"),
    args: ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`],
    count: () => {
      const report = JSON.parse(readFileSync(vitestJson, "utf8")) as { numPassedTests: number; numFailedTests: number };
      return { passed: report.numPassedTests, failed: report.numFailedTests };
    },
  },
  { name: "production build", command: bin("next"), args: ["build"] },
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
];

let passed = 0;
let failed = 0;
const timings: string[] = [];
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });
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
