import { expect, test, type BrowserContext } from "@playwright/test";
import { watchCspViolations } from "./support/csp";
import { signedIn, startDemoInstance, VIEWER, type DemoInstance } from "./support/demo-instance";

/** The datasets pages on the demo data, as a viewer: the list, a dataset's version, and a click through to a run. */

let tally: DemoInstance;
let viewer: BrowserContext;
let cspViolations: string[] = [];

test.describe.configure({ mode: "serial" });
test.use({ actionTimeout: 15_000 });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  tally = await startDemoInstance();
  viewer = await signedIn(browser, tally.url, VIEWER);
  cspViolations = watchCspViolations(viewer);
});

test.afterEach(() => {
  expect(cspViolations, "Content Security Policy violations").toEqual([]);
});

test.afterAll(async () => {
  await viewer?.close();
  await tally?.stop();
});

test("the datasets tab lists the demo's datasets and opens one with its version and runs", async () => {
  const page = await viewer.newPage();
  await page.goto(tally.projectUrl);
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Datasets" }).click();
  const row = page.locator('tr[data-dataset-name="cifar10-train"]');
  await expect(row).toBeVisible();
  await expect(row.locator("td").nth(1)).toHaveText("1");
  await page.screenshot({ path: test.info().outputPath("datasets.png"), fullPage: true });

  await row.getByRole("link", { name: "cifar10-train" }).click();
  await expect(page.getByRole("heading", { name: "cifar10-train", level: 2 })).toBeVisible();
  await expect(page.getByText("s3://acme-datasets/cifar10/train")).toBeVisible();
  await expect(page.getByRole("list", { name: /Columns of/ })).toContainText("label: long");
  const runs = page.getByRole("table", { name: /Runs that used/ });
  await expect(runs.getByRole("cell", { name: "training" }).first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("dataset.png"), fullPage: true });

  await runs.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f]{32}$/);
});
