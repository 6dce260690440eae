import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { watchCspViolations } from "./support/csp";
import { OWNER, signedIn, startDemoInstance, VIEWER, type DemoInstance } from "./support/demo-instance";

/**
 * Settings → Policy on the demo project: the owner edits the approval policy in the form, saves a
 * revision, sees a broken YAML refused at its line with nothing saved; a viewer sees it read-only.
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
});

const revisions = (page: Page) => page.locator("section", { has: page.getByRole("heading", { name: "Revisions" }) });

test("the owner adds a check and maintainers as approvers to Production, and saves a revision", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/settings`);
  await page.getByRole("link", { name: "Policy" }).click();
  await expect(page.getByRole("heading", { name: "Approval policy" })).toBeVisible();
  await expect(revisions(page)).toContainText("Never changed");

  const production = page.getByRole("group", { name: "Target 1" });
  await expect(production.getByLabel("Stage", { exact: true })).toHaveValue("Production");
  await production.getByLabel("Maintainers").check();
  await production.getByLabel(/Approvals needed/).fill("2");
  await production.getByLabel(/Metric checks/).fill("metrics.auc >= current");
  await production.getByLabel("Evaluation").check();
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText("Saved as revision 1.")).toBeVisible();
  await expect(revisions(page)).toContainText("#1");
  await expect(revisions(page)).toContainText(OWNER.email);

  await page.getByRole("tab", { name: "YAML" }).click();
  const yaml = page.getByLabel(/Policy YAML/);
  await expect(yaml).toHaveValue(/approvers: \[owner, maintainer\]\n    approvals: 2\n/);
  await expect(yaml).toHaveValue(/checks:\n      - metrics.auc >= current\n    card_sections: \[evaluation\]/);
  await shot(page, "policy-editor");
  await page.close();
});

test("a broken policy is refused at its line, and nothing is saved", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/settings/policy`);
  await page.getByRole("tab", { name: "YAML" }).click();
  await page.getByLabel(/Policy YAML/).fill("targets:\n  - stage: Prod\n    approvals: 0\n");
  await page.getByRole("button", { name: "Save policy" }).click();
  const problems = page.getByRole("alert").filter({ hasText: "The policy was not saved" });
  await expect(problems).toContainText("line 2, column 12 (targets[0].stage): Unknown stage 'Prod'");
  await expect(problems).toContainText("line 3, column 16 (targets[0].approvals): Must be from 1 to 10, not 0");
  await expect(page.getByTestId("policy-yaml").locator(".bg-red-100")).toHaveCount(2);
  await shot(page, "policy-refused");
  await page.reload();
  await expect(revisions(page).locator("li")).toHaveCount(1);
  await page.close();
});

test("a viewer sees the policy read-only", async () => {
  const page = await viewer.newPage();
  await page.goto(`${tally.projectUrl}/settings/policy`);
  await expect(page.getByText("Only owners change the policy")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save policy" })).toHaveCount(0);
  await expect(page.getByTestId("policy-yaml")).toContainText("metrics.auc >= current");
  await expect(page.getByText(/2 approvals by owners or maintainers/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Download YAML" })).toHaveAttribute("href", "/api/v1/projects/demo/policy");
  await page.close();
});
