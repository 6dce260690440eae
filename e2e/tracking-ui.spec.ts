import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { watchCspViolations } from "./support/csp";
import { OWNER, signedIn, startDemoInstance, VIEWER, type DemoInstance } from "./support/demo-instance";
import { saveTimings, timed } from "./support/page-timings";

/**
 * The tracking web app on the demo data (`npm run demo`), as a lead and as a viewer see it: the
 * dashboard, the runs table (sort, filter, bad filter), a run's charts, note and image artifact, the
 * compare view, and what a viewer is not offered. Also measures how long each page takes to become
 * usable (reported, not asserted).
 */

let tally: DemoInstance;
let owner: BrowserContext;
let viewer: BrowserContext;
let cspViolations: string[] = [];

test.describe.configure({ mode: "serial" });
test.use({ actionTimeout: 15_000 });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}


const runRows = (page: Page) => page.locator("tr[data-run-id]");
const firstMetricValue = async (page: Page, column: number) =>
  Number(await runRows(page).first().locator("td").nth(column).innerText());

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  tally = await startDemoInstance();
  owner = await signedIn(browser, tally.url, OWNER);
  viewer = await signedIn(browser, tally.url, VIEWER);
  cspViolations = watchCspViolations(owner, viewer);
});

test.afterEach(() => {
  expect(cspViolations, "Content Security Policy violations").toEqual([]);
});

test.afterAll(async () => {
  await owner?.close();
  await viewer?.close();
  await tally?.stop();
  await saveTimings();
});

test("the dashboard shows KPIs, runs per day, best runs and recent activity", async () => {
  const page = await owner.newPage();
  await timed(page, "dashboard", tally.projectUrl, async () => {
    await expect(page.getByTestId("kpi-card").first()).toBeVisible();
    await expect(page.getByRole("list", { name: "Best runs" }).getByRole("link").first()).toBeVisible();
  });
  await expect(page.getByTestId("kpi-card")).toHaveCount(5);
  await expect(page.getByTestId("kpi-card").nth(2)).toContainText("1"); // the demo's one running fine-tune
  // Each stacked bar segment is a rect; days with runs have segments of real height.
  const drawnBars = () =>
    page.locator(".recharts-bar-rectangle rect").evaluateAll((rects) => rects.filter((rect) => Number(rect.getAttribute("height")) > 0).length);
  await expect.poll(drawnBars).toBeGreaterThan(5);
  await expect(page.getByRole("list", { name: "Recent runs" }).getByRole("link").first()).toBeVisible();
  await shot(page, "dashboard");
  await page.close();
});

test("the runs table sorts by a metric, filters with the search grammar and explains a bad filter", async () => {
  const page = await owner.newPage();
  await timed(page, "runs-table", `${tally.projectUrl}/experiments/1`, async () => {
    await expect(runRows(page).first()).toBeVisible();
  });
  await expect(page.getByText("21 runs")).toBeVisible();

  const header = page.getByRole("columnheader", { name: "val_accuracy" });
  const column = await page.locator("thead th").evaluateAll((cells) => cells.findIndex((cell) => cell.textContent?.includes("val_accuracy")));
  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect.poll(() => firstMetricValue(page, column)).toBeGreaterThan(0.93);
  const descending = await firstMetricValue(page, column);
  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  await expect.poll(() => firstMetricValue(page, column)).toBeLessThan(descending);

  const filter = page.getByLabel("Filter runs");
  await filter.fill("params.batch_size = '256' AND attributes.status = 'FINISHED'");
  await filter.press("Enter");
  await expect(page.getByText("4 runs")).toBeVisible();
  await expect(runRows(page)).toHaveCount(4);
  const names = await runRows(page).locator("td:nth-child(2)").allInnerTexts();
  expect(names.map((name) => name.replace("↳", "").trim()).sort()).toEqual(["trial-03", "trial-06", "trial-09", "trial-12"]);
  await shot(page, "runs-table");

  await filter.fill("metrics.val_accuracy >> 0.9");
  await filter.press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: /Invalid filter at position \d+/ })).toBeVisible();
  await page.close();
});

test("a running run's new metrics appear in the runs table without a reload", async ({ request }) => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/experiments/3`);
  const running = runRows(page).filter({ has: page.getByText("running", { exact: true }) });
  await expect(running).toHaveCount(1);
  const runId = await running.getAttribute("data-run-id");
  const column = await page.locator("thead th").evaluateAll((cells) => cells.findIndex((cell) => cell.textContent?.trim() === "loss"));
  expect(column).toBeGreaterThan(0);
  const response = await request.post(`${tally.projectUrl}/api/2.0/mlflow/runs/log-metric`, {
    headers: { authorization: `Bearer ${tally.token}` },
    data: { run_id: runId, key: "loss", value: 0.0123, timestamp: Date.now(), step: 99_999 },
  });
  expect(response.status()).toBe(200);
  // The table polls while a run is running: the new latest value shows up by itself.
  await expect(running.locator("td").nth(column)).toHaveText("0.0123", { timeout: 15_000 });
  await page.close();
});

test("a run page draws every metric, keeps drawing on other axes and log scale, and previews an image", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/experiments/1`);
  const filter = page.getByLabel("Filter runs");
  await filter.fill("attributes.run_name = 'convnext-tiny-flip-crop'");
  await filter.press("Enter");
  await expect(runRows(page)).toHaveCount(1);
  const href = await runRows(page).first().getByRole("link").getAttribute("href");

  await timed(page, "run-page", `${tally.url}${href}`, async () => {
    await expect(page.getByTestId("metric-chart-val_accuracy").locator("path.recharts-line-curve")).toBeVisible();
  });
  const charts = page.locator('[data-testid^="metric-chart-"]');
  await expect(charts).toHaveCount(5);
  const drawn = async () =>
    page.locator("path.recharts-line-curve").evaluateAll((paths) => paths.map((path) => (path.getAttribute("d") ?? "").length));
  await expect.poll(async () => (await drawn()).filter((length) => length > 20).length).toBe(5);

  await page.getByLabel("X axis").selectOption("wall");
  await page.getByLabel("Log scale").check();
  await expect.poll(async () => (await drawn()).filter((length) => length > 20).length).toBe(5);

  await page.getByRole("button", { name: "plots/" }).click();
  await page.getByRole("button", { name: /confusion_matrix\.png/ }).click();
  const image = page.getByTestId("artifact-image");
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBeGreaterThan(0);

  await page.getByRole("button", { name: "eval/" }).click();
  await page.getByRole("button", { name: /predictions\.csv/ }).click();
  await expect(page.getByRole("table", { name: "CSV preview" }).getByRole("columnheader", { name: "confidence" })).toBeVisible();
  await shot(page, "run-page");
  await page.close();
});

test("a run note renders markdown and never runs HTML", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/experiments/1`);
  await runRows(page).first().getByRole("link").click();
  await page.getByRole("button", { name: "Edit note" }).click();
  await page.getByLabel("Note (markdown)").fill('## Findings\n\n**Bold** move.\n\n<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
  await page.getByRole("button", { name: "Save note" }).click();
  await expect(page.getByRole("heading", { name: "Findings" })).toBeVisible();
  await expect(page.locator("strong", { hasText: "Bold" })).toBeVisible();
  await expect(page.locator(".prose-tally img")).toHaveCount(0);
  await expect(page.locator(".prose-tally script")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await page.close();
});

test("compare highlights the differing params and overlays the curves", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/experiments/1`);
  const filter = page.getByLabel("Filter runs");
  await filter.fill("params.learning_rate = '0.01' AND params.architecture = 'resnet18'");
  await filter.press("Enter");
  await expect(runRows(page)).toHaveCount(3);
  for (const index of [0, 1, 2]) await runRows(page).nth(index).getByRole("checkbox").check();
  const compare = page.getByRole("link", { name: "Compare (3)" });
  await expect(compare).toBeVisible();
  const url = `${tally.url}${await compare.getAttribute("href")}`;

  await timed(page, "compare", url, async () => {
    await expect(page.getByRole("table", { name: "Parameters compared" })).toBeVisible();
  });
  const batchSize = page.getByRole("row").filter({ hasText: "batch_size" });
  await expect(batchSize).toHaveAttribute("data-differs", "true");
  await expect(batchSize).toHaveClass(/bg-amber-50/);
  const optimizer = page.getByRole("row").filter({ hasText: "optimizer" });
  await expect(optimizer).toHaveAttribute("data-differs", "false");
  await page.getByLabel(/Only differences/).check();
  await expect(optimizer).toHaveCount(0);
  await expect(batchSize).toBeVisible();
  await expect(page.getByTestId("overlay-val_accuracy").locator("path.recharts-line-curve")).toHaveCount(3);
  await expect(page.getByRole("img", { name: "Parallel coordinates of params and metric" }).locator("polyline")).toHaveCount(3);
  await shot(page, "compare");
  await page.close();
});

test("experiments can be created, renamed, deleted and restored by the owner", async () => {
  const page = await owner.newPage();
  await timed(page, "experiments", `${tally.projectUrl}/experiments`, async () => {
    await expect(page.getByRole("link", { name: "image-classifier" })).toBeVisible();
  });
  await page.getByLabel("New experiment name").fill("ablation");
  await page.getByRole("button", { name: "Create experiment" }).click();
  const row = () => page.getByRole("row").filter({ hasText: /ablation/ });
  await expect(row()).toBeVisible();
  await row().getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("Experiment name", { exact: true }).fill("ablation-v2");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("link", { name: "ablation-v2" })).toBeVisible();
  await row().getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("link", { name: "ablation-v2" })).toHaveCount(0);
  await page.getByLabel("Show deleted").check();
  await row().getByRole("button", { name: "Restore" }).click();
  await expect(page.getByRole("link", { name: "ablation-v2" })).toBeVisible();
  await shot(page, "experiments");
  await page.close();
});

test("a viewer is offered no edit controls", async () => {
  const page = await viewer.newPage();
  await page.goto(`${tally.projectUrl}/experiments`);
  await expect(page.getByRole("link", { name: "image-classifier" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create experiment" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rename" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await page.getByRole("link", { name: "image-classifier" }).click();
  await runRows(page).first().getByRole("link").click();
  await expect(page.locator('[data-testid^="metric-chart-"]').first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit note" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add tag" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Remove tag/ })).toHaveCount(0);
  await page.close();
});
