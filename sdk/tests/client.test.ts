import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Tally, type TallyOptions } from "../src/client.ts";
import { TallyError } from "../src/errors.ts";
import { OfflineBuffer } from "../src/offline.ts";
import { FakeTally, closedPort } from "./support/fake-server.ts";

let fake: FakeTally;
let dir: string;
const clients: Tally[] = [];

beforeAll(async () => {
  fake = await new FakeTally().start();
});
afterAll(() => fake.stop());
beforeEach(async () => {
  fake.requests = [];
  fake.injected = [];
  dir = await mkdtemp(path.join(tmpdir(), "tally-sdk-"));
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function tally(options: TallyOptions = {}) {
  const errors: TallyError[] = [];
  const client = new Tally({
    url: fake.url,
    token: fake.token,
    offlineDir: path.join(dir, "offline"),
    flushIntervalMs: 60_000,
    flushOnExit: false,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
    onError: (error) => errors.push(error),
    // Runs here come from this repository's checkout, whose state is nobody's business: source.test.ts covers capture.
    captureSource: false,
    ...options,
  });
  clients.push(client);
  return Object.assign(client, { errors });
}

describe("Tally runs", () => {
  it("creates the experiment when missing, then the run, with tags and params", async () => {
    const client = tally();
    const run = await client.startRun({ experiment: "exp-a", name: "first", tags: { team: "ml" }, params: { lr: 0.01, layers: 3, opt: "adam" } });
    expect(fake.calls("/experiments/create")).toHaveLength(1);
    expect(run.id).toMatch(/^[0-9a-f]{32}$/);
    expect(run.experimentId).toBe(fake.experiments.get("exp-a")!.id);
    const record = await client.getRun(run.id);
    expect(record.info.runName).toBe("first");
    expect(record.data.params).toEqual({ lr: "0.01", layers: "3", opt: "adam" });
    expect(record.data.tags.team).toBe("ml");
    // a second run reuses the experiment
    await client.startRun({ experiment: "exp-a" });
    expect(fake.calls("/experiments/create")).toHaveLength(1);
  });

  it("buffers metrics and sends full batches in the background, the rest on end()", async () => {
    const client = tally({ maxBatchSize: 500 });
    const run = await client.startRun({ experiment: "exp-b" });
    for (let step = 0; step < 1234; step++) run.logMetric("loss", 1 / (step + 1), step, 1_000 + step);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.calls("/runs/log-batch").length).toBeGreaterThanOrEqual(2);
    expect(run.pending).toBeLessThan(500);
    run.logMetrics({ acc: 0.9, f1: NaN, up: Infinity, down: -Infinity }, 7);
    await run.end();
    const batches = fake.calls("/runs/log-batch").map((r) => r.body as { metrics: unknown[] });
    for (const batch of batches) expect(batch.metrics.length).toBeLessThanOrEqual(500);
    const stored = fake.metricsOf(run.id);
    expect(stored.filter((m) => m.key === "loss")).toHaveLength(1234);
    expect(stored.find((m) => m.key === "f1")!.value).toBe("NaN");
    expect(stored.find((m) => m.key === "up")!.value).toBe("Infinity");
    const update = fake.calls("/runs/update")[0]!.body as { status: string; end_time: number };
    expect(update.status).toBe("FINISHED");
    expect(update.end_time).toBeGreaterThan(0);
    // update comes after the last log-batch
    const order = fake.requests.map((r) => r.path.split("/").pop());
    expect(order.lastIndexOf("log-batch")).toBeLessThan(order.indexOf("update"));
    // decoded on the way back
    const history = await client.getMetricHistory(run.id, "f1");
    expect(history[0]!.value).toBeNaN();
    expect((await client.getMetricHistory(run.id, "down"))[0]!.value).toBe(-Infinity);
    await expect(async () => run.logMetric("late", 1)).rejects.toThrow(/has ended/);
  });

  it("flushes on the timer", async () => {
    const client = tally({ flushIntervalMs: 20 });
    const run = await client.startRun({ experiment: "exp-c" });
    run.logMetric("x", 1, 0);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(fake.metricsOf(run.id)).toHaveLength(1);
  });

  it("pages through metric history", async () => {
    fake.historyPageSize = 300;
    try {
      const client = tally();
      const run = await client.startRun({ experiment: "exp-d" });
      for (let step = 0; step < 1000; step++) run.logMetric("m", step * 2, step, 5_000 + step);
      await run.flush();
      const history = await client.getMetricHistory(run.id, "m");
      expect(history).toHaveLength(1000);
      expect(history.map((m) => m.step)).toEqual([...Array(1000).keys()]);
      expect(fake.calls("/metrics/get-history").length).toBe(4);
      expect(fake.calls("/metrics/get-history")[1]!.query.get("page_token")).toBe("300");
    } finally {
      fake.historyPageSize = 1000;
    }
  });

  it("throws the server's error from flush() and end() for refused data (a changed param)", async () => {
    const client = tally();
    const run = await client.startRun({ experiment: "exp-e", params: { lr: "0.1" } });
    run.logParams({ lr: "0.2" });
    const error = (await run.flush().catch((e: unknown) => e)) as TallyError;
    expect(error).toBeInstanceOf(TallyError);
    expect(error.errorCode).toBe("INVALID_PARAMETER_VALUE");
    expect(error.serverMessage).toMatch(/Changing param values/);
    // the same value again is fine
    run.logParams({ lr: "0.1" });
    await run.flush();
    // a background failure surfaces on the next flush
    run.logParams({ lr: "0.3" });
    for (let i = 0; i < 1000; i++) run.logMetric("k", i, i);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.errors.map((e) => e.errorCode)).toContain("INVALID_PARAMETER_VALUE");
    await expect(run.end()).rejects.toMatchObject({ errorCode: "INVALID_PARAMETER_VALUE" });
    expect(fake.runs.get(run.id)!.info.status).toBe("FINISHED");
  });

  it("rejects bad input locally", async () => {
    const client = tally();
    const run = await client.startRun({ experiment: "exp-f" });
    expect(() => run.logMetric("", 1)).toThrow(TallyError);
    expect(() => run.logMetric("x", "1" as unknown as number)).toThrow(/must be a number/);
    expect(() => run.logMetric("x", 1, 1.5)).toThrow(/integer/);
  });

  it("needs a URL, from options or the environment", () => {
    const saved = { ...process.env };
    try {
      delete process.env.TALLY_URL;
      delete process.env.MLFLOW_TRACKING_URI;
      expect(() => new Tally({ flushOnExit: false })).toThrow(/TALLY_URL/);
      process.env.MLFLOW_TRACKING_URI = "http://example.test/projects/p/";
      process.env.MLFLOW_TRACKING_TOKEN = "tly_x";
      const client = new Tally({ flushOnExit: false, offlineDir: false });
      expect(client.base).toBe("http://example.test/projects/p");
      expect(client.serverRoot).toBe("http://example.test");
      process.env.TALLY_URL = "http://other.test/projects/q";
      expect(new Tally({ flushOnExit: false, offlineDir: false }).base).toBe("http://other.test/projects/q");
    } finally {
      process.env = saved;
    }
  });

  it("whoami", async () => {
    await expect(tally().whoami()).resolves.toMatchObject({ project: { slug: "demo", name: "Demo" }, token: { scopes: ["read", "write"] } });
  });
});

describe("offline buffer", () => {
  it("buffers to JSON lines when the server is unreachable, then replays in order", async () => {
    const runId = fake.createRunDirect();
    const port = await closedPort();
    const offlineDir = path.join(dir, "offline");
    const down = tally({ url: `http://127.0.0.1:${port}/projects/demo`, offlineDir, maxBatchSize: 100 });
    const run = down.attachRun(runId);
    for (let step = 0; step < 250; step++) run.logMetric("loss", step, step, 10_000 + step);
    run.logParams({ seed: 42 });
    await run.flush();
    await run.end("FAILED");
    expect(down.errors[0]!.message).toMatch(/saved to/);
    const lines = await new OfflineBuffer(offlineDir).entries();
    const kinds = lines.map((l) => l.kind);
    expect(kinds.at(-1)).toBe("update-run");
    expect(kinds.slice(0, -1).every((k) => k === "log-batch")).toBe(true);
    expect(lines.flatMap((l) => (l.kind === "log-batch" ? l.body.metrics : []))).toHaveLength(250);
    expect(lines.every((l) => l.base === `http://127.0.0.1:${port}/projects/demo`)).toBe(true);
    const files = await readdir(offlineDir);
    expect(files.some((f) => f.endsWith(".jsonl"))).toBe(true);
    const raw = (await Promise.all(files.map((f) => readFile(path.join(offlineDir, f), "utf8")))).join("");
    expect(raw).toContain('"run_id":"' + runId + '"');

    // Re-point the entries at the live server (same project, new address): replay in order.
    await rm(offlineDir, { recursive: true });
    await new OfflineBuffer(offlineDir).append(fake.url, lines.map(({ kind, body }) => ({ kind, body }) as never));
    const up = tally({ offlineDir });
    const result = await up.replayOffline();
    expect(result).toEqual({ sent: lines.length, remaining: 0, rejected: 0, locked: false });
    const sent = fake.requests.filter((r) => r.path.endsWith("/runs/log-batch") || r.path.endsWith("/runs/update"));
    expect(sent.map((r) => r.path.split("/").pop())).toEqual(kinds.map((k) => (k === "log-batch" ? "log-batch" : "update")));
    const steps = sent.flatMap((r) => ((r.body as { metrics?: { step: number }[] }).metrics ?? []).map((m) => m.step));
    expect(steps).toEqual([...Array(250).keys()]);
    expect(fake.metricsOf(runId)).toHaveLength(250);
    expect(fake.runs.get(runId)!.info.status).toBe("FAILED");
    expect(await new OfflineBuffer(offlineDir).entries()).toEqual([]);
    // replaying again is a no-op; sending the same data again stores nothing new
    expect((await up.replayOffline()).sent).toBe(0);
  });

  it("replays before the next send, and keeps the rest when the server fails mid-replay", async () => {
    const runId = fake.createRunDirect();
    const offlineDir = path.join(dir, "offline");
    const buffer = new OfflineBuffer(offlineDir);
    const batch = (step: number) => ({
      kind: "log-batch" as const,
      body: { run_id: runId, metrics: [{ key: "m", value: step, timestamp: step, step }], params: [], tags: [] },
    });
    await buffer.append(fake.url, [batch(0), batch(1), batch(2)]);
    await buffer.append("http://elsewhere.test/projects/x", [batch(99)]);

    const client = tally({ offlineDir, retry: { maxRetries: 0 } });
    fake.injected.push({ status: 200, body: "{}", match: "/runs/log-batch" }); // entry 0 "sent"
    fake.injected.push({ status: 503, match: "/runs/log-batch" }); // entry 1 fails: replay stops
    const first = await client.replayOffline();
    expect(first).toEqual({ sent: 1, remaining: 2, rejected: 0, locked: false });
    const left = await buffer.entries();
    expect(left.map((e) => (e.kind === "log-batch" ? e.body.metrics[0]!.step : -1))).toEqual([1, 2, 99]);

    // The next live send replays the backlog first, in order, then sends the new data.
    const run = client.attachRun(runId);
    run.logMetric("m", 3, 3, 3);
    await run.flush();
    expect(fake.metricsOf(runId).map((m) => m.step)).toEqual([1, 2, 3]);
    // only the other server's entry stays
    expect((await buffer.entries()).map((e) => e.base)).toEqual(["http://elsewhere.test/projects/x"]);
  });

  it("new data goes to the buffer behind the backlog while the server is still down", async () => {
    const runId = fake.createRunDirect();
    const offlineDir = path.join(dir, "offline");
    const buffer = new OfflineBuffer(offlineDir);
    await buffer.append(fake.url, [
      { kind: "log-batch", body: { run_id: runId, metrics: [{ key: "m", value: 0, timestamp: 0, step: 0 }], params: [], tags: [] } },
    ]);
    const client = tally({ offlineDir, retry: { maxRetries: 0 } });
    const run = client.attachRun(runId);
    fake.injected.push({ status: 503 });
    run.logMetric("m", 1, 1, 1);
    await run.flush();
    expect(fake.calls("/runs/log-batch")).toHaveLength(1); // only the replay attempt
    const entries = await buffer.entries();
    expect(entries.map((e) => (e.kind === "log-batch" ? e.body.metrics[0]!.step : -1))).toEqual([0, 1]);
    await client.replayOffline();
    expect(fake.metricsOf(runId).map((m) => m.step)).toEqual([0, 1]);
  });

  it("moves entries the server refuses to rejected.jsonl and goes on", async () => {
    const offlineDir = path.join(dir, "offline");
    const buffer = new OfflineBuffer(offlineDir);
    const runId = fake.createRunDirect();
    await buffer.append(fake.url, [
      { kind: "log-batch", body: { run_id: "f".repeat(32), metrics: [{ key: "m", value: 1, timestamp: 1, step: 1 }], params: [], tags: [] } },
      { kind: "log-batch", body: { run_id: runId, metrics: [{ key: "m", value: 2, timestamp: 2, step: 2 }], params: [], tags: [] } },
    ]);
    const result = await tally({ offlineDir }).replayOffline();
    expect(result).toMatchObject({ sent: 1, rejected: 1, remaining: 0 });
    const rejected = JSON.parse((await readFile(path.join(offlineDir, "rejected.jsonl"), "utf8")).trim());
    expect(rejected.error.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(fake.metricsOf(runId)).toHaveLength(1);
  });

  it("does nothing while another process holds the replay lock", async () => {
    const offlineDir = path.join(dir, "offline");
    const buffer = new OfflineBuffer(offlineDir);
    await buffer.append(fake.url, [{ kind: "update-run", body: { run_id: "x", status: "FINISHED", end_time: 1 } }]);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(offlineDir, "replay.lock"), JSON.stringify({ pid: process.ppid, at: Date.now() }));
    expect(await tally({ offlineDir }).replayOffline()).toMatchObject({ locked: true, sent: 0 });
    // a stale lock (dead pid) is taken over
    await writeFile(path.join(offlineDir, "replay.lock"), JSON.stringify({ pid: 2 ** 22 + 12345, at: Date.now() }));
    expect(await tally({ offlineDir }).replayOffline()).toMatchObject({ locked: false, rejected: 1 });
  });
});
