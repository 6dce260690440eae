/**
 * npm run bench:lineage-ui [-- --runs 165]
 *
 * The lineage graph view in a real browser (Debian chromium). Seeds through the MLflow API one
 * dataset version read by `runs` runs, each logging a model registered as a version of one of five
 * models (each with the alias @challenger): the dataset's lineage tab then draws 3 × runs + 6 nodes
 * (501 by default). Prints the time until the model version's lineage tab is interactive, the ELK
 * layout time and time to interactive of the 500-node graph, and the long tasks (over 50 ms) and the
 * longest frame while panning and zooming it: fitted (drawn as the overview), zoomed in among the
 * cards, and switching between the two. Needs `npx next build` first. Not a test: numbers.
 */
import { existsSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { mlflowCall, startBenchInstance, type BenchInstance } from "./instance";

const { values } = parseArgs({ options: { runs: { type: "string", default: "165" } } });
const runCount = Number(values.runs);
const MODELS = 5;
const DATASET = { name: "bench-events", digest: "e0e0e0e0", source_type: "s3", source: "s3://bench/events.parquet" };
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/** Runs `work` over `items` with at most `width` calls in flight. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

async function seed(instance: BenchInstance) {
  const call = (endpoint: string, body: unknown) => mlflowCall(instance, "POST", endpoint, body);
  const { experiment_id } = (await call("experiments/create", { name: "lineage-bench" })) as { experiment_id: string };
  for (let m = 0; m < MODELS; m++) await call("registered-models/create", { name: `bench-model-${m}` });
  const runs = Array.from({ length: runCount }, (_, index) => index);
  const trainingRun = async (index: number) => {
    const { run } = (await call("runs/create", { experiment_id, run_name: `train-${index}` })) as { run: { info: { run_id: string } } };
    await call("runs/log-inputs", { run_id: run.info.run_id, datasets: [{ tags: [{ key: "mlflow.data.context", value: "train" }], dataset: DATASET }] });
    return run.info.run_id;
  };
  // The first use records the dataset: concurrent first uses of one dataset can collide.
  const first = await trainingRun(0);
  // Versions of one model are numbered in the order they are created: register them model by model.
  await inParallel([...Array(MODELS).keys()], MODELS, async (m) => {
    for (const index of runs.filter((run) => run % MODELS === m)) {
      const runId = index === 0 ? first : await trainingRun(index);
      const { model } = (await call("logged-models", { experiment_id, name: `model-${index}`, source_run_id: runId })) as { model: { info: { model_id: string } } };
      await call("model-versions/create", { name: `bench-model-${m}`, source: `models:/${model.info.model_id}`, run_id: runId, model_id: model.info.model_id });
    }
    await call("registered-models/alias", { name: `bench-model-${m}`, alias: "challenger", version: "1" });
  });
}

/** Navigates and waits until the graph is drawn and answers input; milliseconds from navigation. */
async function timeToInteractive(page: Page, url: string) {
  const started = performance.now();
  await page.goto(url);
  // Zoomed out far, the overview is drawn in place of the cards.
  await page.locator('[data-testid="lineage-graph"][data-ready] :is(.react-flow__node, [data-testid="lineage-overview"])').filter({ visible: true }).first().waitFor();
  const ms = performance.now() - started;
  const nodes = Number(await page.getByTestId("lineage-graph").getAttribute("data-nodes"));
  return { ms, nodes };
}

// Plain strings: functions handed to page.evaluate would carry tsx's name helpers into the page.
const START_MEASURING = `(() => {
  const state = window;
  state.longTasks = [];
  state.frames = [];
  state.measuring = true;
  new PerformanceObserver((list) => list.getEntries().forEach((entry) => state.longTasks.push(entry.duration))).observe({ type: "longtask", buffered: false });
  let last = performance.now();
  const tick = (now) => {
    state.frames.push(now - last);
    last = now;
    if (state.measuring) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;
const STOP_MEASURING = `(() => {
  window.measuring = false;
  const frames = window.frames.slice(1);
  return { longTasks: window.longTasks, frames: frames.length, longestFrame: Math.max(0, ...frames) };
})()`;
/** Where the time to interactive went: the server's answer, the page's scripts, and where ELK ran for how long. */
const BREAKDOWN = `(() => {
  const [navigation] = performance.getEntriesByType("navigation");
  const graph = document.querySelector('[data-testid="lineage-graph"]');
  return { response: navigation.responseEnd, domContentLoaded: navigation.domContentLoadedEventEnd, layout: Number(graph.dataset.layoutMs), by: graph.dataset.layoutBy };
})()`;
type Breakdown = { response: number; domContentLoaded: number; layout: number; by: string };
const described = (parts: Breakdown) =>
  `server answered at ${parts.response.toFixed(0)} ms, DOM ready at ${parts.domContentLoaded.toFixed(0)}; ELK ${parts.layout} ms in the ${parts.by === "server" ? "server" : "browser's worker"}`;

/** Long tasks and frame times while `gesture` runs. */
async function measureFrames(page: Page, gesture: () => Promise<void>) {
  await page.evaluate(START_MEASURING);
  await gesture();
  return (await page.evaluate(STOP_MEASURING)) as { longTasks: number[]; frames: number; longestFrame: number };
}

async function panAndZoom(page: Page) {
  const box = (await page.getByTestId("lineage-graph").boundingBox())!;
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  for (let round = 0; round < 6; round++) {
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    for (let step = 1; step <= 15; step++) await page.mouse.move(centre.x + (round % 2 ? -1 : 1) * step * 20, centre.y + step * 8 * (round % 3 === 0 ? 1 : -1));
    await page.mouse.up();
  }
  for (let step = 0; step < 12; step++) {
    await page.mouse.wheel(0, step < 6 ? -200 : 200);
    await page.waitForTimeout(30);
  }
}

const instance = await startBenchInstance(3404);
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const seeding = performance.now();
  await seed(instance);
  console.log(`seeded ${runCount} runs, logged models and versions through the MLflow API in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  // Wall-clock frame times depend on what else the machine runs: say how busy it was.
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}`);

  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const signIn = await context.newPage();
  await signIn.goto(`${instance.url.replace(/\/projects\/bench$/, "")}/signin`);
  await signIn.getByLabel("Email").fill("bench@example.test");
  await signIn.getByLabel("Password").fill("bench-password-1");
  await signIn.getByRole("button", { name: /sign in/i }).click();
  await signIn.waitForURL(/\/projects/);
  await signIn.close();

  for (let attempt = 0; attempt < 5; attempt++) {
    const page = await context.newPage();
    const { ms } = await timeToInteractive(page, `${instance.url}/models/bench-model-0/versions/1/lineage`);
    const parts = (await page.evaluate(BREAKDOWN)) as Breakdown;
    console.log(`model version lineage tab (${attempt === 0 ? "first visit" : "browser cache warm"}): interactive after ${ms.toFixed(0)} ms (${described(parts)})`);
    await page.close();
  }

  const page = await context.newPage();
  const big = await timeToInteractive(page, `${instance.url}/datasets/${DATASET.name}/lineage`);
  const drawing = async () => ((await page.getByTestId("lineage-graph").getAttribute("data-overview")) ? "the overview" : "cards");
  console.log(`dataset lineage tab with ${big.nodes} nodes (${await drawing()} at fit): interactive after ${big.ms.toFixed(0)} ms (${described((await page.evaluate(BREAKDOWN)) as Breakdown)})`);

  const fitted = await measureFrames(page, () => panAndZoom(page));
  console.log(
    `pan and zoom over all ${big.nodes} nodes: ${fitted.frames} frames, longest ${fitted.longestFrame.toFixed(0)} ms; ` +
      `long tasks (>50 ms): ${fitted.longTasks.length}, longest ${Math.max(0, ...fitted.longTasks).toFixed(0)} ms`,
  );
  const zoomIn = page.getByRole("button", { name: "Zoom In" });
  const zoomOut = page.getByRole("button", { name: "Zoom Out" });
  while ((await drawing()) === "the overview") await zoomIn.click();
  const cards = await measureFrames(page, () => panAndZoom(page));
  console.log(
    `pan and zoom among the cards (zoomed in until they replace the overview; nodes entering and leaving the view): ${cards.frames} frames, longest ${cards.longestFrame.toFixed(0)} ms; ` +
      `long tasks (>50 ms): ${cards.longTasks.length}, longest ${Math.max(0, ...cards.longTasks).toFixed(0)} ms`,
  );
  await page.getByRole("button", { name: "Fit View" }).click();
  while ((await drawing()) === "the overview") await zoomIn.click();
  const switching = await measureFrames(page, async () => {
    for (let round = 0; round < 3; round++) {
      await zoomOut.click({ clickCount: 2 });
      await page.waitForTimeout(300);
      await zoomIn.click({ clickCount: 2 });
      await page.waitForTimeout(300);
    }
  });
  console.log(
    `switching between cards and the overview six times: ${switching.frames} frames, longest ${switching.longestFrame.toFixed(0)} ms; ` +
      `long tasks (>50 ms): ${switching.longTasks.length}, longest ${Math.max(0, ...switching.longTasks).toFixed(0)} ms`,
  );
  await context.close();
} finally {
  await browser.close();
  await instance.stop();
}
