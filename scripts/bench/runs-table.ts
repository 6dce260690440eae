/**
 * npm run bench:ui [-- --runs 10000]
 *
 * The runs table with many runs, in a real browser (Debian chromium): time until the first rows show,
 * then scrolling to the last run (pages of 200 load as the user scrolls) while counting long frames
 * (tasks over 50 ms, which a user feels as jank). Prints the numbers; needs `npx next build` first.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import pg from "pg";
import { benchWebProcesses, mlflowCall, startBenchInstance } from "./instance";
import { seedRuns } from "./seed-runs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "10000" } } });
const runCount = Number(values.runs);
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

const instance = await startBenchInstance(3402);
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const { experiment_id } = (await mlflowCall(instance, "POST", "experiments/create", { name: "table-bench" })) as { experiment_id: string };
  const client = new pg.Client({ connectionString: instance.databaseUrl });
  await client.connect();
  await seedRuns(client, experiment_id, runCount);
  await client.query("VACUUM ANALYZE");
  await client.end();

  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const base = instance.url.replace(/\/projects\/bench$/, "");
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill("bench@example.test");
  await page.getByLabel("Password").fill("bench-password-1");
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.waitForURL(/\/projects/);

  const started = performance.now();
  await page.goto(`${instance.url}/experiments/${experiment_id}`);
  await page.locator("tr[data-run-id]").first().waitFor();
  const firstRows = performance.now() - started;

  // The scroll ends when the table's status line says every run is loaded: "10,000 runs" alone, not
  // "10,000 runs · 2,000 loaded" nor "· updating…" (the first page again, once the columns are known).
  await page.getByText(/^[\d,]+\+? runs( · [\d,]+ loaded)?$/).waitFor();
  await page.evaluate(() => {
    const state = window as unknown as { longTasks: number[] };
    state.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => state.longTasks.push(entry.duration))).observe({ type: "longtask", buffered: false });
  });
  const requests = new Map<string, number>();
  page.on("request", (request) => {
    const kind = request.url().includes("/api/trpc/runsTable.page") ? "table pages" : "other";
    requests.set(kind, (requests.get(kind) ?? 0) + 1);
  });
  const scroller = page.getByTestId("runs-table-scroller");
  const serverCpuBefore = instance.cpuSeconds();
  const scrollStarted = performance.now();
  let last = "";
  for (let step = 0; step < 2000; step++) {
    await scroller.evaluate((element) => element.scrollBy(0, 2000));
    await page.waitForTimeout(16);
    last = (await page.locator("tr[data-run-id]").last().getAttribute("data-run-id")) ?? "";
    const atBottom = await scroller.evaluate((element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 2);
    const loadedAll = (await page.getByText(/^[\d,]+\+? runs$/).count()) > 0;
    if (atBottom && loadedAll) break;
  }
  const scrolled = performance.now() - scrollStarted;
  const serverCpu = instance.cpuSeconds() - serverCpuBefore;
  page.removeAllListeners("request");
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const rendered = await page.locator("tr[data-run-id]").count();
  console.log(`runs table with ${runCount.toLocaleString("en")} runs (20 metrics, 20 params each; 4 metric and 3 param columns shown)`);
  console.log(`first rows visible after ${firstRows.toFixed(0)} ms`);
  console.log(`scrolled to the last run (${last.slice(0, 8)}) in ${(scrolled / 1000).toFixed(1)} s, loading ${Math.ceil(runCount / 200)} pages of 200`);
  console.log(
    `requests while scrolling: ${requests.get("table pages") ?? 0} for table pages, ${requests.get("other") ?? 0} others; ` +
      `server CPU ${serverCpu.toFixed(1)} s (web processes: ${benchWebProcesses()})`,
  );
  console.log(`rows in the DOM at the end: ${rendered} (virtualized)`);
  console.log(`long tasks (>50 ms) while scrolling: ${longTasks.length}, longest ${Math.max(0, ...longTasks).toFixed(0)} ms`);
} finally {
  await browser.close();
  await instance.stop();
}
