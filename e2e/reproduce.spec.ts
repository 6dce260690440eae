import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test, type BrowserContext } from "@playwright/test";
import { watchCspViolations } from "./support/csp";
import { signedIn, startDemoInstance, VIEWER, type DemoInstance } from "./support/demo-instance";

/**
 * The Reproduce panel of a run that a real training script started through the TypeScript SDK, from a
 * git repository with an uncommitted change: the commit and the command line reach the run page, and
 * the script copies.
 */

const root = path.resolve(import.meta.dirname, "..");

let tally: DemoInstance;
let viewer: BrowserContext;
let repo = "";
let cspViolations: string[] = [];

test.describe.configure({ mode: "serial" });
test.use({ actionTimeout: 15_000 });

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=E2E", "-c", "user.email=e2e@example.test", "-c", "init.defaultBranch=main", ...args], {
    cwd: repo,
    encoding: "utf8",
  }).trim();

/** Runs `node train.ts --lr 0.01` in the repository, as a person would; the script prints its run's id. */
function train(): string {
  return execFileSync(process.execPath, ["--import", pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href, "train.ts", "--lr", "0.01"], {
    cwd: repo,
    env: { ...process.env, TALLY_URL: tally.projectUrl, TALLY_TOKEN: tally.token },
    encoding: "utf8",
  }).trim();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  tally = await startDemoInstance();
  viewer = await signedIn(browser, tally.url, VIEWER);
  cspViolations = watchCspViolations(viewer);

  repo = mkdtempSync(path.join(tmpdir(), "tally-e2e-repo-"));
  git("init", "-q");
  writeFileSync(
    path.join(repo, "train.ts"),
    `import { Tally } from ${JSON.stringify(path.join(root, "sdk/src/index.ts"))};
const tally = new Tally({ offlineDir: false });
const run = await tally.startRun({ experiment: "reproduce-e2e", name: "reproduce-me", params: { lr: process.argv[3], seed: 42 } });
await run.end();
console.log(run.id);
`,
  );
  writeFileSync(path.join(repo, "package.json"), '{"type": "module"}\n');
  writeFileSync(path.join(repo, "config.json"), '{"epochs": 10}\n');
  git("add", ".");
  git("commit", "-q", "-m", "training script");
  git("checkout", "-q", "-b", "experiment/lr");
  git("remote", "add", "origin", "https://github.com/acme/reproduce-e2e.git");
  writeFileSync(path.join(repo, "config.json"), '{"epochs": 20}\n');
});

test.afterEach(() => {
  expect(cspViolations, "Content Security Policy violations").toEqual([]);
});

test.afterAll(async () => {
  await viewer?.close();
  await tally?.stop();
  if (repo) rmSync(repo, { recursive: true, force: true });
});

test("a run started by the SDK shows its commit, command and a script to copy in the Reproduce panel", async () => {
  const commit = git("rev-parse", "HEAD");
  const runId = train();
  expect(runId).toMatch(/^[0-9a-f]{32}$/);

  await viewer.grantPermissions(["clipboard-read", "clipboard-write"], { origin: tally.url });
  const page = await viewer.newPage();
  await page.goto(`${tally.projectUrl}/runs/${runId}`);
  const facts = page.getByRole("definition").filter({ hasText: commit });
  await expect(facts).toBeVisible();
  const recorded = page.getByLabel("Recorded facts");
  await expect(recorded).toContainText("https://github.com/acme/reproduce-e2e.git");
  await expect(recorded).toContainText("experiment/lr");
  await expect(recorded).toContainText("node train.ts --lr 0.01");
  await expect(recorded).toContainText("seed=42");
  await expect(page.getByLabel("Not recorded")).toContainText("Python version");

  const script = page.getByLabel("Reproduce script");
  await expect(script).toContainText(`git checkout --detach ${commit}`);
  await expect(script).toContainText('-{"epochs": 10}');
  await expect(script).toContainText('+{"epochs": 20}');
  await expect(script).toContainText("node train.ts --lr 0.01");
  await script.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath("reproduce.png"), fullPage: true });

  await page.getByRole("button", { name: "Copy script" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.startsWith("#!/bin/sh\n")).toBe(true);
  expect(copied.trimEnd()).toBe((await script.innerText()).trimEnd());
});
