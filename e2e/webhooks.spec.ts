import { createHmac } from "node:crypto";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { startWebhookReceiver } from "../tests/support/webhook-receiver";
import { watchCspViolations } from "./support/csp";
import { OWNER, signedIn, startDemoInstance, VIEWER, type DemoInstance } from "./support/demo-instance";

/**
 * Settings → Webhooks on the demo instance: the owner adds a webhook pointing at a receiver this test
 * runs on 127.0.0.1 (so the instance allows private targets), sends a test event, registers a model
 * version through the MLflow API, and sees both signed deliveries arrive and appear in the delivery
 * log; a viewer is offered no webhooks at all.
 */

let tally: DemoInstance;
let owner: BrowserContext;
let viewer: BrowserContext;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let cspViolations: string[] = [];

test.describe.configure({ mode: "serial" });
test.use({ actionTimeout: 15_000 });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  receiver = await startWebhookReceiver();
  process.env.TALLY_WEBHOOK_ALLOW_PRIVATE = "true";
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
  await receiver?.close();
});

async function mlflow<T>(endpoint: string, body: unknown): Promise<T> {
  const response = await fetch(`${tally.projectUrl}/api/2.0/mlflow/${endpoint}`, {
    method: "POST",
    headers: { authorization: `Bearer ${tally.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, `${endpoint}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as T;
}

function verifies(secret: string, request: (typeof receiver.received)[number]): boolean {
  const timestamp = request.headers["x-tally-timestamp"] as string;
  return request.headers["x-tally-signature"] === `v1=${createHmac("sha256", secret).update(`${timestamp}.${request.body}`).digest("hex")}`;
}

const deliveryRows = (page: Page) => page.getByRole("table", { name: "Deliveries" }).getByTestId("delivery-row");

test("the owner adds a webhook, sends a test event and sees signed deliveries in the log", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/settings`);
  await page.getByRole("link", { name: "Webhooks" }).click();
  await page.getByRole("button", { name: "New webhook" }).click();
  await page.getByLabel("Name").fill("deploy-bot");
  await page.getByLabel("Payload URL").fill(receiver.url);
  await page.getByRole("button", { name: "Generate" }).click();
  const secret = await page.getByLabel("Secret").inputValue();
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  await page.screenshot({ path: test.info().outputPath("webhook-form.png"), fullPage: true });
  await page.getByRole("button", { name: "Create webhook" }).click();

  const webhook = page.getByTestId("webhook");
  await expect(webhook).toContainText("deploy-bot");
  await expect(webhook).toContainText(receiver.url);
  await expect(page.getByText(secret)).toHaveCount(0);

  await webhook.getByRole("button", { name: "Send test event" }).click();
  await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(1);
  expect(receiver.received[0]!.headers["x-tally-event"]).toBe("ping");
  expect(verifies(secret, receiver.received[0]!)).toBe(true);
  await expect(deliveryRows(page).first()).toContainText("succeeded", { timeout: 15_000 });
  await expect(deliveryRows(page).first()).toContainText("200");

  // A version registered through the MLflow API reaches the receiver too.
  const { run } = await mlflow<{ run: { info: { run_id: string } } }>("runs/create", { experiment_id: "0" });
  await mlflow("registered-models/create", { name: "hooked-model" });
  await mlflow("model-versions/create", { name: "hooked-model", source: `runs:/${run.info.run_id}/model`, run_id: run.info.run_id });
  await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(2);
  const created = receiver.received[1]!;
  expect(created.headers["x-tally-event"]).toBe("version.created");
  expect(verifies(secret, created)).toBe(true);
  // The link's origin is TALLY_URL, which the test instance leaves unset.
  expect(JSON.parse(created.body)).toMatchObject({ model: { name: "hooked-model" }, version: 1, url: expect.stringMatching(/\/projects\/demo\/models\/hooked-model\/versions\/1$/) });
  await expect(deliveryRows(page)).toHaveCount(2, { timeout: 15_000 });
  await expect(deliveryRows(page).first()).toContainText("version.created");

  // Redeliver: one more attempt of the same delivery, listed under it.
  await deliveryRows(page).first().getByRole("button", { name: "Redeliver" }).click();
  await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(3);
  expect(receiver.received[2]!.headers["x-tally-delivery"]).toBe(created.headers["x-tally-delivery"]);
  await page.reload();
  await page.getByTestId("webhook").getByRole("button", { name: "Deliveries" }).click();
  await deliveryRows(page).first().getByRole("button", { name: "2", exact: true }).click();
  await expect(page.getByRole("list", { name: "Attempts" }).locator("li")).toHaveCount(2);
  await page.screenshot({ path: test.info().outputPath("webhooks.png"), fullPage: true });

  // Editing keeps the secret unless a new one is typed.
  await page.getByTestId("webhook").getByRole("button", { name: "Edit" }).click();
  await expect(page.getByLabel("Secret")).toHaveValue("");
  await page.getByLabel("Name").fill("deploy-bot-2");
  await page.getByRole("button", { name: "Save webhook" }).click();
  await expect(page.getByTestId("webhook")).toContainText("deploy-bot-2");
  await page.close();
});

test("a viewer is offered no webhooks", async () => {
  const page = await viewer.newPage();
  await page.goto(`${tally.projectUrl}/settings`);
  await expect(page.getByRole("link", { name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  const response = await page.goto(`${tally.projectUrl}/settings/webhooks`);
  expect(response?.status()).toBe(404);
  await page.close();
});
