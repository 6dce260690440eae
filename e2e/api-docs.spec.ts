import { expect, test } from "@playwright/test";
import { watchCspViolations } from "./support/csp";

/** The API reference page renders both OpenAPI documents Tally serves, for anyone, under the page CSP. */

test("the API reference lists Tally's operations and the MLflow API's, with their schemas", async ({ page }) => {
  const cspViolations = watchCspViolations(page.context());
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  const whoami = page.locator("#whoami");
  await expect(whoami).toContainText("/api/v1/whoami");
  await expect(whoami).toContainText("The token's project and scopes");
  await expect(page.locator("#listPromotionRequests")).toContainText("limit?");
  await expect(page.getByRole("heading", { name: "PromotionRequest" })).toBeVisible();

  await page.getByRole("link", { name: "MLflow REST API (/api/2.0/mlflow)" }).click();
  await expect(page).toHaveURL(/doc=mlflow$/);
  const logBatch = page.locator("#postRunsLogBatch");
  await expect(logBatch).toContainText("/api/2.0/mlflow/runs/log-batch");
  await expect(logBatch).toContainText("metrics?:");
  await expect(page.getByRole("heading", { name: "RegisteredModel" })).toBeVisible();
  expect(cspViolations).toEqual([]);
});
