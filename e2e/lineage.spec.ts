import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { watchCspViolations } from "./support/csp";
import { saveTimings, timed } from "./support/page-timings";
import { signedIn, startDemoInstance, VIEWER, type DemoInstance } from "./support/demo-instance";

/**
 * The lineage tabs on the demo's fraud-detection chain, and on a chain logged through the MLflow API as a client would: two dataset versions
 * (training and evaluation) → a run → its logged model → version 1 of a registered model → the alias
 * @challenger (which the default policy does not gate). A viewer reads the graph, expands a node,
 * clicks through to a node's page, and reads the version's seeds.
 */

let tally: DemoInstance;
let viewer: BrowserContext;
let cspViolations: string[] = [];
let runId = "";
const MODEL = "chargeback-scorer";
const TRAIN = { name: "chargebacks-2026q3", digest: "5e1f0c2a", source: "s3://lake/chargebacks/2026q3.parquet" };
const HOLDOUT = { name: "chargebacks-holdout", digest: "9b7d3e41", source: "s3://lake/chargebacks/holdout.parquet" };
const COMMIT = "3f9a1c27d04b8e65a2f1c0d9e8b7a6f5e4d3c2b1";

test.describe.configure({ mode: "serial" });
test.use({ actionTimeout: 15_000 });

async function mlflow<T>(endpoint: string, body: unknown, method = "POST"): Promise<T> {
  const response = await fetch(`${tally.projectUrl}/api/2.0/mlflow/${endpoint}`, {
    method,
    headers: { authorization: `Bearer ${tally.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${endpoint}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const input = (dataset: typeof TRAIN, context: string) => ({
  tags: [{ key: "mlflow.data.context", value: context }],
  dataset: { ...dataset, source_type: "s3" },
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

const graph = (page: Page) => page.getByTestId("lineage-graph");
const nodes = (page: Page) => graph(page).locator(".react-flow__node");
const node = (page: Page, id: string) => graph(page).locator(`.react-flow__node[data-id="${id}"]`);
const edges = (page: Page, kind?: string) => graph(page).locator(kind ? `.react-flow__edge.lineage-edge-${kind}` : ".react-flow__edge");

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  tally = await startDemoInstance();
  const { run } = await mlflow<{ run: { info: { run_id: string } } }>("runs/create", {
    experiment_id: "1",
    run_name: "chargeback-train",
    tags: [
      { key: "mlflow.source.git.commit", value: COMMIT },
      { key: "mlflow.source.git.branch", value: "main" },
      { key: "mlflow.source.git.repoURL", value: "https://git.example/risk/chargebacks.git" },
      { key: "mlflow.source.name", value: "train.py" },
    ],
  });
  runId = run.info.run_id;
  await mlflow("runs/log-inputs", { run_id: runId, datasets: [input(TRAIN, "training"), input(HOLDOUT, "evaluation")] });
  const { model } = await mlflow<{ model: { info: { model_id: string } } }>("logged-models", { experiment_id: "1", name: "chargeback-model", source_run_id: runId });
  await mlflow("registered-models/create", { name: MODEL });
  await mlflow("model-versions/create", { name: MODEL, source: `models:/${model.info.model_id}`, run_id: runId, model_id: model.info.model_id });
  await mlflow("registered-models/alias", { name: MODEL, alias: "challenger", version: "1" });
  viewer = await signedIn(browser, tally.url, VIEWER);
  cspViolations = watchCspViolations(viewer);
});

test.afterEach(() => {
  expect(cspViolations, "Content Security Policy violations").toEqual([]);
});

test.afterAll(async () => {
  await viewer?.close();
  await tally?.stop();
  await saveTimings();
});

test("a model version's lineage tab draws the chain from the data to the alias, and its seeds", async () => {
  const page = await viewer.newPage();
  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/1`);
  await page.getByRole("navigation", { name: "Model version" }).getByRole("link", { name: "Lineage" }).click();
  await expect(graph(page)).toHaveAttribute("data-ready", "true");
  await expect(page.getByLabel("Direction")).toHaveValue("upstream");
  await expect(page.getByLabel("Depth")).toHaveValue("10");

  await expect(nodes(page)).toHaveCount(6);
  await expect(node(page, `version:${MODEL}/1`).locator("[data-root]")).toBeVisible();
  await expect(node(page, `dataset:${TRAIN.name}@${TRAIN.digest}`)).toContainText(TRAIN.name);
  await expect(node(page, `dataset:${HOLDOUT.name}@${HOLDOUT.digest}`)).toContainText(HOLDOUT.name);
  await expect(node(page, `run:${runId}`)).toContainText("chargeback-train");
  await expect(graph(page).locator(".react-flow__node-model")).toContainText("chargeback-model");
  await expect(node(page, `alias:${MODEL}@challenger`)).toContainText("@challenger");

  await expect(edges(page)).toHaveCount(5);
  await expect(edges(page, "input")).toHaveCount(2);
  for (const kind of ["produced", "registered", "holds"]) await expect(edges(page, kind)).toHaveCount(1);
  const labels = await graph(page).locator("[data-edge-label]").allTextContents();
  expect(labels.sort()).toEqual(["evaluation", "logged model", "registered", "training"]);

  const seeds = page.getByRole("group", { name: "Seeds" });
  await expect(seeds.getByRole("list", { name: "Data" })).toContainText(`${TRAIN.name}${TRAIN.digest}(training)`);
  await expect(seeds.getByRole("list", { name: "Data" })).toContainText(`${HOLDOUT.name}${HOLDOUT.digest}(evaluation)`);
  await expect(seeds.getByRole("term").filter({ hasText: "Commit" }).locator("+ dd")).toHaveText(COMMIT);
  await expect(seeds.getByRole("term").filter({ hasText: "Entry point" }).locator("+ dd")).toHaveText("train.py");
  await expect(seeds.getByRole("term").filter({ hasText: "Branch" }).locator("+ dd")).toHaveText("main");
  await expect(seeds.getByRole("term").filter({ hasText: "Python" }).locator("+ dd")).toHaveText("not recorded");
  await expect(seeds.getByRole("link", { name: "chargeback-train" })).toHaveAttribute("href", `/projects/demo/runs/${runId}`);
  await shot(page, "lineage-version");

  await node(page, `dataset:${TRAIN.name}@${TRAIN.digest}`).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${TRAIN.name}\\?digest=${TRAIN.digest}$`));
  await expect(page.getByRole("heading", { name: TRAIN.name, level: 2 })).toBeVisible();
  await page.close();
});

test("the demo's fraud-detector v2 shows its pipeline upstream: raw data, cleaning, features, training", async () => {
  const page = await viewer.newPage();
  await page.goto(`${tally.projectUrl}/models/fraud-detector/versions/2/lineage`);
  await expect(graph(page)).toHaveAttribute("data-ready", "true");
  await expect(graph(page)).toHaveAttribute("data-nodes", "10");
  for (const name of ["transactions-raw", "clean-transactions", "transactions-clean", "build-features", "fraud-features", "fraud-holdout", "xgboost-fraud-d8"]) {
    await expect(graph(page).locator(".react-flow__node").filter({ hasText: name })).toHaveCount(1);
  }
  await expect(node(page, "alias:fraud-detector@challenger")).toBeVisible();
  await expect(edges(page)).toHaveCount(9);
  await expect(edges(page, "input")).toHaveCount(4);
  await expect(edges(page, "output")).toHaveCount(2);
  const features = page.getByRole("group", { name: "Seeds" }).getByRole("list", { name: "Data" }).locator("li").filter({ hasText: "fraud-features" }).first();
  await expect(features).toContainText("(training)");
  await expect(features.getByRole("list", { name: "Upstream of build-features" })).toContainText("transactions-clean");
  await expect(features.getByRole("list", { name: "Upstream of clean-transactions" })).toContainText("transactions-raw");
  await shot(page, "lineage-demo-chain");
  await page.close();
});

test("expanding a node adds its neighbours to the graph", async () => {
  const page = await viewer.newPage();
  await page.goto(`${tally.projectUrl}/models/${MODEL}/versions/1/lineage?direction=upstream&depth=1`);
  await expect(graph(page)).toHaveAttribute("data-ready", "true");
  // One step up from the version: its logged model, and the alias it holds.
  await expect(nodes(page)).toHaveCount(3);
  await page.getByRole("button", { name: "Show the neighbours of chargeback-model" }).click();
  await expect(node(page, `run:${runId}`)).toBeVisible();
  await expect(graph(page)).toHaveAttribute("data-nodes", "4");
  await expect(page.getByRole("button", { name: "Show the neighbours of chargeback-model" })).toHaveCount(0);
  await page.getByRole("button", { name: "Show the neighbours of chargeback-train" }).click();
  // The view keeps the expanded node in place; nodes out of view are not rendered until fitted.
  await expect(graph(page)).toHaveAttribute("data-nodes", "6");
  await expect(graph(page)).toHaveAttribute("data-edges", "5");
  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(nodes(page)).toHaveCount(6);
  await expect(edges(page)).toHaveCount(5);
  await shot(page, "lineage-expanded");
  await page.close();
});

test("a dataset version's lineage shows what was made from it, and the run's shows both ways", async () => {
  const page = await viewer.newPage();
  await page.goto(`${tally.projectUrl}/datasets/${HOLDOUT.name}`);
  await page.getByRole("link", { name: `Lineage of ${HOLDOUT.digest}` }).click();
  await expect(graph(page)).toHaveAttribute("data-ready", "true");
  await expect(page.getByLabel("Direction")).toHaveValue("downstream");
  await expect(page.getByLabel("Depth")).toHaveValue("3");
  await expect(node(page, `dataset:${HOLDOUT.name}@${HOLDOUT.digest}`).locator("[data-root]")).toBeVisible();
  // Three steps down: the run, its logged model, the version (and the alias it holds).
  await expect(nodes(page)).toHaveCount(5);
  await expect(node(page, `dataset:${TRAIN.name}@${TRAIN.digest}`)).toHaveCount(0);
  await shot(page, "lineage-dataset");

  await timed(page, "lineage (run, both ways)", `${tally.projectUrl}/runs/${runId}/lineage`, () => expect(graph(page)).toHaveAttribute("data-ready", "true"));
  await expect(page.getByLabel("Direction")).toHaveValue("both");
  await expect(nodes(page)).toHaveCount(6);
  await page.getByLabel("Direction").selectOption("upstream");
  await expect(page).toHaveURL(/direction=upstream&depth=10/);
  await expect(nodes(page)).toHaveCount(3);
  await page.close();
});

test("a graph too big to read when fitted is drawn as an overview until zoomed in", async () => {
  const wide = { name: "chargebacks-wide", digest: "7c4e2b19", source: "s3://lake/chargebacks/wide.parquet" };
  for (let index = 0; index < 30; index++) {
    const { run } = await mlflow<{ run: { info: { run_id: string } } }>("runs/create", { experiment_id: "1", run_name: `wide-${index}` });
    await mlflow("runs/log-inputs", { run_id: run.info.run_id, datasets: [input(wide, "training")] });
  }
  const page = await viewer.newPage();
  await page.goto(`${tally.projectUrl}/datasets/${wide.name}/lineage?digest=${wide.digest}&direction=downstream&depth=1`);
  await expect(graph(page)).toHaveAttribute("data-ready", "true");
  await expect(graph(page)).toHaveAttribute("data-nodes", "31");
  // Fitted, 31 cards stacked in one column are too small to read: boxes and curves stand in for them.
  await expect(graph(page)).toHaveAttribute("data-overview", "true");
  await expect(page.getByTestId("lineage-overview").locator("rect")).toHaveCount(31);
  await expect(page.getByTestId("lineage-overview").locator("path")).toHaveCount(30);
  await expect(page.getByRole("status")).toHaveText(/zoom in to read and open the nodes/);
  const card = node(page, `dataset:${wide.name}@${wide.digest}`).getByRole("link");
  await expect(card).toBeHidden();
  await shot(page, "lineage-overview");

  for (let click = 0; click < 10 && (await graph(page).getAttribute("data-overview")); click++) await page.getByRole("button", { name: "Zoom In" }).click();
  await expect(graph(page)).not.toHaveAttribute("data-overview");
  await expect(page.getByTestId("lineage-overview")).toBeHidden();
  await expect(card).toBeVisible();
  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(graph(page)).toHaveAttribute("data-overview", "true");
  await page.close();
});

test("the model version's lineage tab is interactive quickly", async () => {
  const page = await viewer.newPage();
  await timed(page, "lineage (model version)", `${tally.projectUrl}/models/${MODEL}/versions/1/lineage`, async () => {
    await expect(graph(page)).toHaveAttribute("data-ready", "true");
    await expect(nodes(page)).toHaveCount(6);
  });
  await page.close();
});
