import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { watchCspViolations } from "./support/csp";
import { saveTimings, timed } from "./support/page-timings";
import { SKLEARN_INPUT_EXAMPLE, SKLEARN_MLMODEL } from "../tests/support/mlmodel";
import { OWNER, signedIn, startDemoInstance, VIEWER, type DemoInstance } from "./support/demo-instance";
import { putPolicy } from "./support/policy";

/**
 * The model registry in the web app, on the demo data: a lead registers a run's logged model, sets
 * an alias, edits descriptions and tags in place, moves the version to Production and sees every
 * change in the model's history; a viewer is offered none of those controls. The demo logs no
 * models, so the setup logs one through the MLflow API with the project token, as a client would.
 */

let tally: DemoInstance;
let owner: BrowserContext;
let viewer: BrowserContext;
let cspViolations: string[] = [];
let runId = "";
const MODEL = "churn-classifier";

test.describe.configure({ mode: "serial" });
test.use({ actionTimeout: 15_000 });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

async function mlflow<T>(endpoint: string, body: unknown, method = "POST"): Promise<T> {
  const response = await fetch(`${tally.projectUrl}/api/2.0/mlflow/${endpoint}`, {
    method,
    headers: { authorization: `Bearer ${tally.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${endpoint}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Uploads a file into the project's artifact store as the MLflow client does (proxied artifacts). */
async function putArtifact(storagePath: string, body: string) {
  const response = await fetch(`${tally.projectUrl}/api/2.0/mlflow-artifacts/artifacts/${storagePath}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${tally.token}` },
    body,
  });
  if (!response.ok) throw new Error(`PUT ${storagePath}: ${response.status} ${await response.text()}`);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  tally = await startDemoInstance();
  const { run } = await mlflow<{ run: { info: { run_id: string } } }>("runs/create", { experiment_id: "1", run_name: "churn-baseline" });
  runId = run.info.run_id;
  await mlflow("runs/log-batch", { run_id: runId, metrics: [{ key: "auc", value: 0.91, timestamp: Date.now(), step: 0 }] });
  await mlflow("runs/log-inputs", {
    run_id: runId,
    datasets: [
      {
        tags: [{ key: "mlflow.data.context", value: "training" }],
        dataset: { name: "customers-2026q3", digest: "8f14e45f", source_type: "s3", source: "s3://data/customers/2026q3.parquet" },
      },
    ],
  });
  await mlflow("runs/log-batch", { run_id: runId, params: [{ key: "max_depth", value: "6" }, { key: "learning_rate", value: "0.1" }] });
  const { model } = await mlflow<{ model: { info: { model_id: string; artifact_uri: string } } }>("logged-models", {
    experiment_id: "1",
    name: "churn-model",
    source_run_id: runId,
  });
  // The files sklearn's log_model writes: an MLmodel with a signature, the input example and the pickle.
  const modelRoot = model.info.artifact_uri.replace(/^mlflow-artifacts:\/+/, "");
  await putArtifact(`${modelRoot}/MLmodel`, SKLEARN_MLMODEL);
  await putArtifact(`${modelRoot}/input_example.json`, SKLEARN_INPUT_EXAMPLE);
  await putArtifact(`${modelRoot}/model.pkl`, "not really a pickle");
  await mlflow(`logged-models/${model.info.model_id}`, { status: "LOGGED_MODEL_READY" }, "PATCH");
  owner = await signedIn(browser, tally.url, OWNER);
  viewer = await signedIn(browser, tally.url, VIEWER);
  cspViolations = watchCspViolations(owner, viewer);
  // This spec curates the registry directly; moves that wait for approval are promotions.spec.ts's.
  await putPolicy(owner, `${tally.url}/api/v1/projects/demo`, "version: 1\ntargets: []\n");
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

const history = (page: Page) => page.getByRole("list", { name: "History" });

test("a lead registers a run's logged model and curates the version", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/runs/${runId}`);
  const name = page.getByLabel("Registered model name for churn-model");
  await name.fill(MODEL);
  await expect(page.getByText("creates a new registered model")).toBeVisible();
  await page.getByRole("button", { name: "Register model" }).click();
  await expect(page.getByRole("link", { name: `${MODEL} v1` })).toBeVisible();
  await expect(page.getByRole("table", { name: "Registered versions" }).getByRole("link", { name: "v1" })).toBeVisible();
  await page.getByRole("link", { name: `${MODEL} v1` }).click();

  // The version page: overview with the source run, then alias, stage, description and tags.
  await expect(page.getByRole("heading", { name: "Version 1", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "churn-baseline" })).toHaveAttribute("href", `/projects/demo/runs/${runId}`);
  await expect(page.getByRole("list", { name: "Source run metrics" })).toContainText("auc");

  await page.getByLabel("Alias", { exact: true }).fill("champion");
  await page.getByRole("button", { name: "Set alias" }).click();
  await expect(page.getByRole("list", { name: "Aliases" })).toContainText("@champion");

  await page.getByLabel("New stage").selectOption("Production");
  await page.getByLabel(/Archive other versions/).check();
  await page.getByRole("button", { name: "Change stage" }).click();
  await expect(page.getByText("Now in").getByText("Production")).toBeVisible();

  await page.getByRole("button", { name: "Edit description" }).click();
  await page.getByLabel("Description (markdown)").fill("Gradient-boosted baseline, **AUC 0.91**.");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("description")).toContainText("Gradient-boosted baseline");

  await page.getByLabel("Tag key").fill("validated_by");
  await page.getByLabel("Tag value").fill("qa");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("list", { name: "Tags" })).toContainText("validated_by=qa");
  await shot(page, "registry-version");
  await page.close();
});

test("the model page edits in place, and its history shows every change, newest first", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/models/${MODEL}`);
  await expect(page.getByRole("heading", { name: MODEL })).toBeVisible();

  // Cancel leaves the description as it was.
  await page.getByRole("button", { name: "Edit description" }).click();
  await page.getByLabel("Description (markdown)").fill("discarded");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("description")).toContainText("No description.");

  await page.getByRole("button", { name: "Edit description" }).click();
  await page.getByLabel("Description (markdown)").fill("Predicts which customers churn next month.");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("description")).toContainText("Predicts which customers churn");

  await page.getByLabel("Tag key").fill("team");
  await page.getByLabel("Tag value").fill("growth");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("list", { name: "Tags" })).toContainText("team=growth");

  await expect(page.getByRole("list", { name: "Model aliases" })).toContainText(/@champion\s*→ v1/);
  const versions = page.getByRole("table", { name: "Versions" });
  await expect(versions.getByRole("link", { name: "v1" })).toBeVisible();
  await expect(versions).toContainText("Production");

  const kinds = await history(page).locator("li").evaluateAll((items) => items.map((item) => item.getAttribute("data-kind")));
  expect(kinds).toEqual([
    "model.tag_set",
    "model.update",
    "version.tag_set",
    "version.update",
    "version.stage",
    "alias.set",
    "version.create",
    "model.create",
  ]);
  await expect(history(page).locator('li[data-kind="version.stage"]')).toContainText("None → Production");
  await expect(history(page).locator('li[data-kind="alias.set"]')).toContainText("@champion → v1");
  await expect(history(page).locator('li[data-kind="model.tag_set"]')).toContainText("team=growth");
  await expect(history(page).locator('li[data-kind="model.update"]')).toContainText("(empty) → Predicts which customers churn");
  await expect(history(page).locator("li").first()).toContainText(OWNER.email);
  await shot(page, "registry-model");

  // The timeline: transitions only, and the stages and aliases as they stood at a chosen moment.
  const transitions = page.getByRole("list", { name: "Transitions" }).locator("li");
  await expect(transitions).toHaveText([/v1: None → Production/, /@champion → v1/, /v1 registered/]);
  await transitions.nth(2).getByRole("button", { name: "as of then" }).click();
  await expect(page.getByRole("region", { name: "State as of" })).toContainText("No version held a stage or an alias.");
  await transitions.nth(0).getByRole("button", { name: "as of then" }).click();
  await expect(page.getByRole("list", { name: "Stages then" })).toContainText(/Production\s*v1/);
  await expect(page.getByRole("list", { name: "Aliases then" })).toContainText(/@champion\s*→ v1/);
  await shot(page, "registry-timeline");
  await page.getByRole("button", { name: "Now" }).click();
  await expect(page.getByRole("region", { name: "State as of" })).toHaveCount(0);
  await page.close();
});

test("the models list filters with the search grammar, shows stages and aliases, and the dashboard counts it", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/models`);
  const row = page.locator(`tr[data-model-name="${MODEL}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(/Production\s*v1/);
  await expect(row).toContainText("@champion");
  await expect(row).toContainText(OWNER.email);
  await page.getByLabel("Filter models").fill("tags.team = 'nobody'");
  await page.getByLabel("Filter models").press("Enter");
  await expect(page.getByText("No models match.")).toBeVisible();
  await page.getByLabel("Filter models").fill("name LIKE 'churn%' AND tags.team = 'growth'");
  await page.getByLabel("Filter models").press("Enter");
  await expect(row).toBeVisible();
  await page.getByRole("button", { name: "Last updated" }).click();
  await expect(page.getByRole("columnheader", { name: /Last updated/ })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Models" })).toHaveAttribute("aria-current", "page");
  await shot(page, "registry-models");

  await page.goto(tally.projectUrl);
  const card = page.getByTestId("kpi-card").filter({ hasText: "Registered models" });
  await expect(card).toContainText("1");
  await expect(card).toContainText("1 version in Production");
  await page.close();
});

test("the version's model card: fill from the run, save, edit again, compare the two revisions", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/1`);
  const card = page.getByRole("form", { name: "Edit model card" });
  await page.getByRole("button", { name: "Edit card" }).click();
  await card.getByLabel("Summary").fill("Predicts churn within 30 days.");
  await card.getByRole("button", { name: "Fill training data and evaluation from the run" }).click();
  await expect(card.getByLabel("Training data")).toHaveValue(/customers-2026q3.*8f14e45f/s);
  await expect(card.getByLabel("Evaluation")).toHaveValue(/\| auc \| 0\.91 \|/);
  await card.getByLabel("What changed (optional)").fill("first draft");
  await card.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByRole("region", { name: "Training data" })).toContainText("customers-2026q3");
  await expect(page.getByText("Revision 1, saved by")).toBeVisible();

  await page.getByRole("button", { name: "Edit card" }).click();
  await card.getByLabel("Summary").fill("Predicts churn within 30 days, for EU customers.");
  await card.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByText("Revision 2, saved by")).toBeVisible();

  await page.getByRole("button", { name: "Revisions" }).click();
  await page.getByLabel("Compare revision 1").check();
  await page.getByLabel("Compare revision 2").check();
  const diff = page.getByTestId("card-diff");
  await expect(diff).toContainText("1 section(s) changed");
  await expect(diff.locator('tr[data-change="changed"]')).toContainText("for EU customers");
  await shot(page, "registry-card-diff");
  await page.close();
});

test("the project's own card sections: added in Settings, filled on a card, renamed without losing the text", async () => {
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/settings`);
  const add = page.getByRole("form", { name: "Add a card section" });
  await add.getByLabel("New section title").fill("Fairness review");
  await add.getByRole("button", { name: "Add section" }).click();
  await expect(page.getByLabel('Title of "Fairness review"')).toHaveValue("Fairness review");

  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/1`);
  await expect(page.getByRole("region", { name: "Fairness review" })).toContainText("Not written yet.");
  await page.getByRole("button", { name: "Edit card" }).click();
  const card = page.getByRole("form", { name: "Edit model card" });
  await card.getByLabel("Fairness review").fill("Checked across regions.");
  await card.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByRole("region", { name: "Fairness review" })).toContainText("Checked across regions.");

  await page.goto(`${tally.projectUrl}/settings`);
  const row = page.getByRole("form", { name: "Section Fairness review" });
  await row.getByLabel('Title of "Fairness review"').fill("Bias audit");
  await row.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByLabel('Title of "Bias audit"')).toHaveValue("Bias audit");
  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/1`);
  await expect(page.getByRole("region", { name: "Bias audit" })).toContainText("Checked across regions.");
  await page.close();
});

test("a viewer sees the registry but is offered no edit controls", async () => {
  const page = await viewer.newPage();
  await timed(page, "models list", `${tally.projectUrl}/models`, () => expect(page.getByRole("link", { name: MODEL })).toBeVisible());
  await timed(page, "model version", `${tally.projectUrl}/models/${MODEL}/versions/1`, () =>
    expect(page.getByRole("region", { name: "Summary" })).toBeVisible(),
  );
  await timed(page, "model", `${tally.projectUrl}/models/${MODEL}`, () => expect(history(page).locator("li").first()).toBeVisible());
  await expect(page.getByTestId("description")).toContainText("Predicts which customers churn");
  await expect(history(page).locator("li").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit description" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add tag" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Remove tag/ })).toHaveCount(0);

  await page.getByRole("table", { name: "Versions" }).getByRole("link", { name: "v1" }).click();
  await expect(page.getByRole("heading", { name: "Version 1", exact: true })).toBeVisible();
  await expect(page.getByTestId("description")).toContainText("Gradient-boosted baseline");
  await expect(page.getByRole("button", { name: "Change stage" })).toHaveCount(0);
  await expect(page.getByLabel("New stage")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Set alias" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Remove alias/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit description" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Summary" })).toContainText("for EU customers");
  await expect(page.getByRole("button", { name: "Edit card" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Bias audit" })).toContainText("Checked across regions.");
  await page.goto(`${tally.projectUrl}/settings`);
  await expect(page.getByRole("heading", { name: "Model cards" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add section" })).toHaveCount(0);

  await page.goto(`${tally.projectUrl}/runs/${runId}`);
  await expect(page.getByRole("list", { name: "Logged models" })).toContainText("churn-model");
  await expect(page.getByRole("button", { name: "Register model" })).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Registered versions" }).getByRole("link", { name: "v1" })).toBeVisible();
  await page.close();
});

test("a model whose name needs escaping in a URL opens from the list", async () => {
  const name = "fraud model 50% #2";
  await mlflow("registered-models/create", { name });
  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/models`);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name, exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Versions" })).toContainText("No versions yet.");
  await page.close();
});

test("the version page lists the version's files, shows its signature and compares it with another version", async () => {
  // A second version, from another run whose model folder is among its own artifacts.
  const { run } = await mlflow<{ run: { info: { run_id: string; artifact_uri: string } } }>("runs/create", { experiment_id: "1", run_name: "churn-deeper" });
  await mlflow("runs/log-batch", {
    run_id: run.info.run_id,
    params: [{ key: "max_depth", value: "10" }, { key: "learning_rate", value: "0.1" }],
    metrics: [{ key: "auc", value: 0.93, timestamp: Date.now(), step: 0 }],
  });
  const runRoot = run.info.artifact_uri.replace(/^mlflow-artifacts:\/+/, "");
  await putArtifact(`${runRoot}/model/MLmodel`, "flavors:\n  sklearn: {pickled_model: model.pkl}\n");
  await mlflow("model-versions/create", { name: MODEL, source: `runs:/${run.info.run_id}/model`, run_id: run.info.run_id });

  const page = await owner.newPage();
  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/1`);
  const files = page.getByRole("navigation", { name: "Version files" });
  await expect(files).toContainText("MLmodel");
  await expect(files).toContainText("input_example.json");
  await expect(files).toContainText("model.pkl");
  await files.getByRole("button", { name: /input_example\.json/ }).click();
  await expect(page.locator("pre").filter({ hasText: "sepal length (cm)" }).first()).toBeVisible();

  const signature = page.getByTestId("version-signature");
  await expect(signature.getByRole("list", { name: "Flavors" })).toContainText("python_function");
  await expect(signature.getByRole("list", { name: "Flavors" })).toContainText("sklearn_version");
  await expect(signature.getByRole("table", { name: "Signature inputs" })).toContainText("petal width (cm)");
  await expect(signature.getByRole("table", { name: "Signature outputs" })).toContainText("tensor<int64>");
  await expect(signature.getByRole("table", { name: "Input example" })).toContainText("5.1");

  await page.getByLabel("Compare with").selectOption("2");
  const compared = page.getByTestId("version-compare");
  const params = compared.getByRole("table", { name: "Params compared" });
  await expect(params.locator('tr[data-differs="true"]')).toContainText("max_depth");
  await expect(params.locator("tr", { hasText: "learning_rate" })).not.toHaveAttribute("data-differs", "true");
  await expect(compared.getByRole("table", { name: "Metrics compared" })).toContainText("0.93");
  await expect(compared).toContainText("customers-2026q3");
  await expect(compared).toContainText("training");
  await shot(page, "registry-version-files");

  // Version 2's files are the run's model folder, previewed through the run's artifact route.
  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/2`);
  const runFiles = page.getByRole("navigation", { name: "Version files" });
  await runFiles.getByRole("button", { name: /MLmodel/ }).click();
  await expect(page.getByRole("link", { name: "Download" })).toHaveAttribute("href", `/projects/demo/runs/${run.info.run_id}/artifact?path=model%2FMLmodel&download=1`);
  await expect(page.locator("pre").filter({ hasText: "pickled_model" })).toBeVisible();
  await expect(page.getByTestId("version-signature")).toContainText("The MLmodel has no signature.");
  await page.close();
});
