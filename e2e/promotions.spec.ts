import { createHmac } from "node:crypto";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import pg from "pg";
import { watchCspViolations } from "./support/csp";
import { MAINTAINER, MEMBER, OWNER, signedIn, startDemoInstance, type DemoInstance } from "./support/demo-instance";
import { saveTimings, timed } from "./support/page-timings";
import { putPolicy } from "./support/policy";
import { startWebhookReceiver } from "../tests/support/webhook-receiver";

/**
 * Promotions in the web app, on the demo data: a member asks for Production from the version page
 * and sees the policy's checks first; a maintainer sees the request but may not approve it (the
 * policy names owners) and is told why; the owner reviews the evidence and approves, the version
 * moves and the model's timeline links the transition to its request; a request whose check fails
 * is rejected with a reason everyone sees. Then 1,000 requests are seeded to time the inbox and the
 * request page. A webhook receiver run by this spec gets the approval as a signed event.
 */

let tally: DemoInstance;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let webhookSecret = "";
let owner: BrowserContext;
let maintainer: BrowserContext;
let member: BrowserContext;
let cspViolations: string[] = [];
let approvedRequestPath = "";
let rejectedRequestPath = "";
const MODEL = "card-fraud";

const POLICY = `version: 1
targets:
  - stage: Production
    approvers: [owner]
    approvals: 1
    allow_self_approval: false
    checks:
      - metrics.auc >= current
    dataset_with_digest: true
  - alias: champion
`;

test.describe.configure({ mode: "serial" });
test.use({ actionTimeout: 15_000 });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

async function mlflow<T>(endpoint: string, body: unknown): Promise<T> {
  const response = await fetch(`${tally.projectUrl}/api/2.0/mlflow/${endpoint}`, {
    method: "POST",
    headers: { authorization: `Bearer ${tally.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${endpoint}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A finished training run with an AUC, params, a git commit and a dataset with a digest; registered as the next version. */
async function registerVersion(runName: string, auc: number, depth: string, commit: string): Promise<void> {
  const { run } = await mlflow<{ run: { info: { run_id: string } } }>("runs/create", {
    experiment_id: "1",
    run_name: runName,
    tags: [{ key: "mlflow.source.git.commit", value: commit }],
  });
  const runId = run.info.run_id;
  await mlflow("runs/log-batch", {
    run_id: runId,
    metrics: [{ key: "auc", value: auc, timestamp: Date.now(), step: 0 }],
    params: [{ key: "max_depth", value: depth }, { key: "learning_rate", value: "0.1" }],
  });
  await mlflow("runs/log-inputs", {
    run_id: runId,
    datasets: [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: { name: "transactions-2026q3", digest: "5d41402a", source_type: "s3", source: "s3://data/tx.parquet" } }],
  });
  await mlflow("model-versions/create", { name: MODEL, source: `runs:/${runId}/model`, run_id: runId });
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  receiver = await startWebhookReceiver();
  // The receiver listens on 127.0.0.1, which webhooks may reach only when the administrator allows it.
  process.env.TALLY_WEBHOOK_ALLOW_PRIVATE = "true";
  tally = await startDemoInstance();
  owner = await signedIn(browser, tally.url, OWNER);
  maintainer = await signedIn(browser, tally.url, MAINTAINER);
  member = await signedIn(browser, tally.url, MEMBER);
  cspViolations = watchCspViolations(owner, maintainer, member);

  // v1 reaches Production before the policy gates it, so later requests have a holder to compare with.
  const api = `${tally.url}/api/v1/projects/demo`;
  await putPolicy(owner, api, "version: 1\ntargets: []\n");
  await mlflow("registered-models/create", { name: MODEL });
  await registerVersion("fraud-baseline", 0.88, "4", "1111111aaaaaaa");
  await registerVersion("fraud-deeper", 0.91, "6", "2222222bbbbbbb");
  await registerVersion("fraud-shallow", 0.8, "2", "3333333ccccccc");
  await mlflow("model-versions/transition-stage", { name: MODEL, version: "1", stage: "Production", archive_existing_versions: false });
  await putPolicy(owner, api, POLICY);

  // The owner subscribes a webhook to approvals and stage changes (Settings → Webhooks).
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/settings`);
  await page.getByRole("link", { name: "Webhooks" }).click();
  await page.getByRole("button", { name: "New webhook" }).click();
  await page.getByLabel("Name").fill("release-bot");
  await page.getByLabel("Payload URL").fill(receiver.url);
  await page.getByRole("button", { name: "Generate" }).click();
  webhookSecret = await page.getByLabel("Secret").inputValue();
  await page.getByLabel(/Promotion approved/).check();
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page.getByTestId("webhook")).toContainText("release-bot");
  await page.close();
});

test.afterEach(() => {
  expect(cspViolations, "Content Security Policy violations").toEqual([]);
});

test.afterAll(async () => {
  await owner?.close();
  await maintainer?.close();
  await member?.close();
  await tally?.stop();
  await receiver?.close();
  await saveTimings();
});

test("a member requests Production from the version page and sees the checks before sending", async () => {
  const page = await member.newPage();
  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/2`);
  await page.getByRole("button", { name: "Request promotion" }).click();
  const dialog = page.getByRole("dialog", { name: `Request promotion of ${MODEL} v2` });
  await expect(dialog.getByTestId("gate-summary")).toContainText("Needs 1 approval from owners (not the requester). Every check passes now.");
  const checks = dialog.getByRole("list", { name: "Checks" });
  await expect(checks.locator('li[data-passed="true"]')).toHaveCount(2);
  await expect(checks).toContainText("auc 0.91 >= 0.88");

  // An ungated target says so and cannot be requested.
  await dialog.getByLabel("Target").selectOption("Staging");
  await expect(dialog.getByTestId("gate-summary")).toContainText("does not gate this target");
  await expect(dialog.getByRole("button", { name: "Send request" })).toBeDisabled();

  await dialog.getByLabel("Target").selectOption("Production");
  await expect(dialog.getByTestId("gate-summary")).toContainText("Every check passes now.");
  await dialog.getByLabel("Archive the versions now in Production").check();
  await dialog.getByLabel("Comment for the approvers").fill("Deeper trees: better AUC on the Q3 transactions.");
  await dialog.getByRole("button", { name: "Send request" }).click();
  await dialog.getByRole("link", { name: "Open the request" }).click();
  await expect(page).toHaveURL(/\/projects\/demo\/requests\/[^/]+$/);
  approvedRequestPath = new URL(page.url()).pathname;
  await expect(page.getByTestId("approve-blocked")).toHaveText("The approval policy lets only owners decide this request");
  await expect(page.getByRole("button", { name: "Cancel request" })).toBeVisible();

  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/2`);
  await expect(page.getByRole("list", { name: "Pending promotion requests" })).toContainText("0/1 approvals");
  await page.close();
});

test("a maintainer sees the request in the inbox but may not approve it, and is told why", async () => {
  const page = await maintainer.newPage();
  await page.goto(`${tally.projectUrl}/requests`);
  await expect(page.getByRole("button", { name: "All" })).toHaveAttribute("aria-pressed", "true");
  const row = page.locator(`tr[data-request-id="${approvedRequestPath.split("/").pop()}"]`);
  await expect(row).toContainText(`${MODEL}v2`);
  await expect(row).toContainText(MEMBER.email);
  await expect(row).toContainText("pending");
  await expect(row).toContainText("0/1");
  await row.getByRole("link", { name: "Review" }).click();
  await expect(page.getByTestId("approve-blocked")).toHaveText("The approval policy lets only owners decide this request");
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reject" })).toHaveCount(0);
  await page.goBack();
  await page.getByRole("button", { name: "To decide" }).click();
  await expect(page.getByText("Nothing waits for your decision.")).toBeVisible();
  await page.close();
});

test("the owner reviews the evidence and approves; the version moves and the timeline links the request", async () => {
  const page = await owner.newPage();
  await page.goto(tally.projectUrl);
  const tab = page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: /Requests/ });
  await expect(tab.getByTestId("tab-badge")).toHaveText("1 waiting for your decision");
  const kpi = page.getByTestId("kpi-card").filter({ hasText: "Pending approvals" });
  await expect(kpi).toContainText("1");
  await kpi.getByRole("link", { name: "Pending approvals" }).click();
  await expect(page.getByRole("button", { name: "To decide" })).toHaveAttribute("aria-pressed", "true");
  await page.locator(`tr[data-request-id="${approvedRequestPath.split("/").pop()}"]`).getByRole("link", { name: "Review" }).click();

  // The evidence: v2 against v1, the AUC delta green (higher is better), the differing params and commits.
  await expect(page.getByRole("table", { name: "Candidate and current holder" })).toContainText("Current holder: v1");
  await expect(page.getByRole("table", { name: "Candidate and current holder" })).toContainText("2222222bbbbbbb");
  await expect(page.getByRole("table", { name: "Candidate and current holder" })).toContainText("transactions-2026q3 #5d41402a");
  const auc = page.locator('tr[data-metric="auc"]');
  await expect(auc).toContainText("+0.03");
  await expect(auc.locator('[data-verdict="better"]')).toHaveClass(/text-green-700/);
  await expect(page.getByRole("table", { name: "Params" })).toContainText("max_depth");
  await expect(page.getByRole("table", { name: "Params" })).not.toContainText("learning_rate");
  await expect(page.getByRole("list", { name: "Checks" })).toContainText("auc 0.91 >= 0.88");
  await shot(page, "promotions-request");

  await page.getByLabel(/Comment/).fill("Looks good: ship it.");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("approved", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("approvals")).toHaveText("1/1");
  await expect(page.getByRole("list", { name: "Decisions" })).toContainText(OWNER.email);
  await expect(page.getByRole("list", { name: "Decisions" })).toContainText("Looks good: ship it.");

  // The webhook receiver got the approval, signed with the webhook's secret and linking the request.
  const approvedEvent = () => receiver.received.find((request) => request.headers["x-tally-event"] === "promotion.approved");
  await expect.poll(() => approvedEvent() !== undefined, { timeout: 15_000 }).toBe(true);
  const delivered = approvedEvent()!;
  const timestamp = delivered.headers["x-tally-timestamp"] as string;
  expect(delivered.headers["x-tally-signature"]).toBe(`v1=${createHmac("sha256", webhookSecret).update(`${timestamp}.${delivered.body}`).digest("hex")}`);
  expect(JSON.parse(delivered.body)).toMatchObject({ kind: "promotion.approved", version: 2, url: expect.stringContaining(approvedRequestPath) });

  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/2`);
  await expect(page.getByText("Now in").getByText("Production")).toBeVisible();
  await page.goto(`${tally.projectUrl}/models/${MODEL}`);
  const moved = page.getByRole("list", { name: "Transitions" }).locator("li", { hasText: "v2: None → Production" });
  await expect(moved.getByRole("link", { name: "request" })).toHaveAttribute("href", approvedRequestPath);
  await expect(page.getByRole("list", { name: "Transitions" }).locator("li", { hasText: "v1: Production → Archived" })).toBeVisible();
  await shot(page, "promotions-timeline");
  await page.close();
});

test("a move through the stage control becomes a request; the owner rejects it and the reason shows", async () => {
  const page = await member.newPage();
  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/3`);
  await page.getByLabel("New stage").selectOption("Production");
  await page.getByRole("button", { name: "Change stage" }).click();
  const notice = page.getByRole("status").filter({ hasText: "needs approval under the project's policy" });
  await notice.getByRole("link", { name: "Open the request" }).click();
  await expect(page).toHaveURL(/\/projects\/demo\/requests\/[^/]+$/);
  rejectedRequestPath = new URL(page.url()).pathname;

  const review = await owner.newPage();
  await review.goto(`${tally.url}${rejectedRequestPath}`);
  await expect(review.getByRole("list", { name: "Checks" }).locator('li[data-passed="false"]')).toContainText("auc 0.8 not >= 0.91");
  await expect(review.locator('tr[data-metric="auc"] [data-verdict="worse"]')).toHaveClass(/text-red-700/);
  await review.getByRole("button", { name: "Reject" }).click();
  await expect(review.getByRole("button", { name: "Reject" })).toBeDisabled();
  await review.getByLabel(/Comment/).fill("AUC below the model in Production.");
  await review.getByRole("button", { name: "Reject" }).click();
  await expect(review.getByTestId("resolution")).toContainText("AUC below the model in Production.");
  await review.close();

  await page.reload();
  await expect(page.getByText("rejected", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("resolution")).toContainText("AUC below the model in Production.");
  await page.close();
});

test("the inbox filters by model, target and state", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/requests`);
  await page.getByRole("button", { name: "All" }).click();
  const rows = page.getByRole("table", { name: "Promotion requests" }).locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await page.getByLabel("State").selectOption("REJECTED");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${MODEL}v3`);
  await page.getByLabel("State").selectOption("");
  await page.getByLabel("Target").fill("alias:champion");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No promotion requests match.")).toBeVisible();
  await page.getByLabel("Target").fill("Production");
  await page.getByLabel("Model", { exact: true }).fill(MODEL);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(2);
  await shot(page, "promotions-inbox");
  await page.close();
});

test("with 1,000 requests the inbox and a request page are quick to use", async () => {
  // One INSERT: copies of the rejected request, spread over the last weeks, a quarter of them pending.
  const client = new pg.Client({ connectionString: tally.databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "PromotionRequest" (id, "projectId", "modelId", "modelName", "versionId", version, "targetKind", "targetName", "archiveExisting",
         state, "requesterType", "requesterId", "requesterLabel", comment, "holdersAtRequest", evidence, "requiredApprovals", "expiresAt", "createdAt", "decidedAt", resolution)
       SELECT 'seed' || lpad(i::text, 5, '0'), r."projectId", r."modelId", r."modelName", r."versionId", r.version, 'alias', 'champion', false,
              CASE i % 4 WHEN 0 THEN 'PENDING' WHEN 1 THEN 'APPROVED' WHEN 2 THEN 'REJECTED' ELSE 'EXPIRED' END,
              r."requesterType", r."requesterId", r."requesterLabel", 'seeded request ' || i, r."holdersAtRequest", r.evidence, 1,
              now() + interval '14 days' - i * interval '1 minute', now() - i * interval '1 minute',
              CASE WHEN i % 4 = 0 THEN NULL ELSE now() - i * interval '1 minute' + interval '1 hour' END,
              CASE WHEN i % 4 = 0 THEN NULL ELSE 'seeded' END
       FROM "PromotionRequest" r, generate_series(1, 1000) i
       WHERE r.id = $1`,
      [rejectedRequestPath.split("/").pop()],
    );
  } finally {
    await client.end();
  }
  const page = await owner.newPage();
  await timed(page, "requests inbox", `${tally.projectUrl}/requests`, async () => {
    await expect(page.getByRole("table", { name: "Promotion requests" }).locator("tbody tr")).toHaveCount(50);
  });
  await expect(page.getByRole("navigation", { name: "Project" }).getByTestId("tab-badge")).toHaveText("250 waiting for your decision");
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(page.getByRole("table", { name: "Promotion requests" }).locator("tbody tr")).toHaveCount(100);
  await page.getByRole("button", { name: "All" }).click();
  await expect(page.getByRole("table", { name: "Promotion requests" }).locator("tbody tr")).toHaveCount(50);
  await expect(page.getByText("50 requests shown")).toBeVisible();
  await timed(page, "request page", `${tally.projectUrl}/requests/seed00004`, async () => {
    await expect(page.getByRole("button", { name: "Approve" })).toBeEnabled();
  });
  await page.close();
});
