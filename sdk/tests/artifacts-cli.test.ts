import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { Tally } from "../src/client.ts";
import { Progress } from "../src/progress.ts";
import { FakeTally } from "./support/fake-server.ts";

const root = path.resolve(import.meta.dirname, "../..");
let fake: FakeTally;
let dir: string;

beforeAll(async () => {
  fake = await new FakeTally().start();
  dir = await mkdtemp(path.join(tmpdir(), "tally-sdk-cli-"));
});
afterAll(async () => {
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests = [];
  fake.injected = [];
});

function client() {
  return new Tally({ url: fake.url, token: fake.token, offlineDir: false, flushOnExit: false, captureSource: false, retry: { maxRetries: 1, baseDelayMs: 1 } });
}

/** Runs the CLI in-process with captured output. */
async function cli(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, "--url", fake.url, "--token", fake.token, "--retries", "0"], {
    stdout: { write: (text: string) => ((stdout += text), true) } as never,
    stderr: { write: (text: string) => ((stderr += text), true), isTTY: false } as never,
  });
  return { code, stdout, stderr };
}

describe("artifacts", () => {
  it("uploads a file and a folder (streamed PUTs), lists and downloads them back", async () => {
    const tally = client();
    const runId = fake.createRunDirect("3");
    const local = path.join(dir, "upload");
    await mkdir(path.join(local, "nested/deeper"), { recursive: true });
    await writeFile(path.join(local, "a.txt"), "alpha");
    await writeFile(path.join(local, "nested/b.json"), '{"b":1}');
    await writeFile(path.join(local, "nested/deeper/c.bin"), Buffer.alloc(200_000, 7));
    await writeFile(path.join(dir, "model.pkl"), "weights");

    const seen: number[] = [];
    expect(await tally.logArtifact(runId, path.join(dir, "model.pkl"), "model")).toEqual({ files: 1, bytes: 7 });
    const result = await tally.logArtifact(runId, local, "data", { onProgress: (p) => seen.push(p.bytes) });
    expect(result).toEqual({ files: 3, bytes: 5 + 7 + 200_000 });
    expect(seen.at(-1)).toBe(200_012);
    expect([...fake.artifacts.keys()].sort()).toEqual([
      `3/${runId}/artifacts/data/a.txt`,
      `3/${runId}/artifacts/data/nested/b.json`,
      `3/${runId}/artifacts/data/nested/deeper/c.bin`,
      `3/${runId}/artifacts/model/model.pkl`,
    ]);
    const put = fake.requests.find((r) => r.method === "PUT" && r.path.endsWith("b.json"))!;
    expect(put.headers["content-type"]).toBe("application/json");
    expect(put.headers.authorization).toBe(`Bearer ${fake.token}`);

    expect(await tally.listArtifacts(runId)).toEqual([
      { path: "model", isDir: true },
      { path: "data", isDir: true },
    ]);
    expect(await tally.listArtifacts(runId, "data/nested")).toEqual([
      { path: "data/nested/b.json", isDir: false, fileSize: 7 },
      { path: "data/nested/deeper", isDir: true },
    ]);

    const dest = path.join(dir, "down");
    expect(await tally.downloadArtifact(runId, "model/model.pkl", dest)).toBe(path.join(dest, "model.pkl"));
    expect(await readFile(path.join(dest, "model.pkl"), "utf8")).toBe("weights");
    const folder = await tally.downloadArtifact(runId, "data", dest);
    expect(folder).toBe(path.join(dest, "data"));
    expect(await readFile(path.join(dest, "data/nested/deeper/c.bin"))).toEqual(Buffer.alloc(200_000, 7));
    await expect(tally.downloadArtifact(runId, "missing.txt", dest)).rejects.toMatchObject({ errorCode: "RESOURCE_DOES_NOT_EXIST" });
  });

  it("retries an upload after a 503 by re-reading the file", async () => {
    const tally = client();
    const runId = fake.createRunDirect("1");
    await writeFile(path.join(dir, "r.txt"), "retry me");
    fake.injected.push({ status: 503, match: "r.txt" });
    const progress: number[] = [];
    await tally.logArtifact(runId, path.join(dir, "r.txt"), undefined, { onProgress: (p) => progress.push(p.bytes) });
    expect(fake.artifacts.get(`1/${runId}/artifacts/r.txt`)!.toString()).toBe("retry me");
    expect(progress.at(-1)).toBe(8);
  });

  it("rejects .. in artifact paths", async () => {
    const runId = fake.createRunDirect("1");
    await expect(client().logArtifact(runId, path.join(dir, "r.txt"), "../escape")).rejects.toThrow(/\.\./);
  });
});

describe("progress", () => {
  it("draws a bar only on a TTY", () => {
    let text = "";
    let clock = 0;
    const tty = new Progress("upload", { isTTY: true, columns: 100, write: (t: string) => (text += t) }, () => clock, 0);
    clock = 1000;
    tty.update(500_000, 1_000_000, "f.bin");
    expect(text).toMatch(/upload \[#+-+\]  50% 500 KB\/1\.0 MB 500 KB\/s f\.bin/);
    tty.finish();
    expect(text.endsWith("\r\x1b[K")).toBe(true);
    let plain = "";
    const pipe = new Progress("upload", { isTTY: false, write: (t: string) => (plain += t) }, () => clock, 0);
    clock = 5000;
    pipe.update(10, 20);
    pipe.finish();
    expect(plain).toBe("");
  });
});

describe("CLI", () => {
  it("whoami", async () => {
    const { code, stdout } = await cli("whoami");
    expect(code).toBe(0);
    expect(stdout).toMatch(/project: demo \(Demo\)/);
    expect(stdout).toMatch(/scopes:  read, write/);
  });

  it("runs list and runs show", async () => {
    const tally = client();
    const run = await tally.startRun({ experiment: "cli-exp", name: "cli-run", params: { lr: 0.5 } });
    run.logMetric("loss", 0.25, 3);
    await run.end();
    const list = await cli("runs", "list", "--experiment", "cli-exp", "--max", "10");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/RUN_ID\s+NAME\s+STATUS/);
    expect(list.stdout).toContain(run.id);
    expect(list.stdout).toMatch(/cli-run\s+FINISHED/);
    expect((fake.calls("/runs/search")[0]!.body as { max_results: number }).max_results).toBe(10);
    const show = await cli("runs", "show", run.id);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/lr = 0\.5/);
    expect(show.stdout).toMatch(/loss = 0\.25 \(step 3\)/);
    const json = JSON.parse((await cli("runs", "show", run.id, "--json")).stdout);
    expect(json.info.runId).toBe(run.id);
    const missing = await cli("runs", "list", "--experiment", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/RESOURCE_DOES_NOT_EXIST: no experiment named "nope"/);
  });

  it("log-metrics streams a JSONL file in batches", async () => {
    const runId = fake.createRunDirect();
    const lines = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ key: i % 2 ? "acc" : "loss", value: i / 10, step: i, timestamp: 1_000 + i }));
    lines.splice(10, 0, "", JSON.stringify({ key: "weird", value: "NaN" }));
    await writeFile(path.join(dir, "m.jsonl"), lines.join("\n") + "\n");
    const { code, stdout, stderr } = await cli("log-metrics", "--run", runId, "--file", path.join(dir, "m.jsonl"));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/Logged 2501 metric points to run/);
    expect(fake.metricsOf(runId)).toHaveLength(2501);
    for (const request of fake.calls("/runs/log-batch")) expect((request.body as { metrics: unknown[] }).metrics.length).toBeLessThanOrEqual(1000);
  });

  it("log-metrics reports a bad line with its number", async () => {
    const runId = fake.createRunDirect();
    await writeFile(path.join(dir, "bad.jsonl"), '{"key":"a","value":1}\n{"key":"a","value":"x"}\n');
    const { code, stderr } = await cli("log-metrics", "--run", runId, "--file", path.join(dir, "bad.jsonl"));
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.jsonl:2: "value" must be a number/);
  });

  it("artifacts upload / list / download", async () => {
    const runId = fake.createRunDirect("5");
    await writeFile(path.join(dir, "cli.txt"), "hello");
    const up = await cli("artifacts", "upload", "--run", runId, path.join(dir, "cli.txt"), "--path", "docs");
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/Uploaded 1 file \(5 B\) to run .* under docs/);
    expect((await cli("artifacts", "list", "--run", runId, "docs")).stdout).toMatch(/docs\/cli\.txt\s+5 B/);
    const down = await cli("artifacts", "download", "--run", runId, "docs", "--dest", path.join(dir, "cli-down"));
    expect(down.code).toBe(0);
    expect(await readFile(path.join(dir, "cli-down/docs/cli.txt"), "utf8")).toBe("hello");
  });

  it("exit codes: 2 for usage, 1 for server errors", async () => {
    expect((await cli("bogus")).code).toBe(2);
    expect((await cli("runs", "list")).stderr).toMatch(/--experiment is required/);
    expect((await cli("runs", "list", "--nope")).code).toBe(2);
    const unknownRun = await cli("runs", "show", "0".repeat(31) + "9");
    expect(unknownRun.code).toBe(1);
    expect(unknownRun.stderr).toMatch(/RESOURCE_DOES_NOT_EXIST/);
    let stderr = "";
    const code = await main(["whoami", "--url", fake.url, "--token", "wrong"], {
      stdout: { write: () => true } as never,
      stderr: { write: (t: string) => ((stderr += t), true) } as never,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/UNAUTHENTICATED: bad token\n  \(check --token/);
  });
});

describe("process exit", () => {
  it("flushes buffered metrics on beforeExit without an explicit flush", async () => {
    const runId = fake.createRunDirect();
    const script = path.join(dir, "exit.ts");
    await writeFile(
      script,
      `import { Tally } from ${JSON.stringify(path.join(root, "sdk/src/index.ts"))};
const tally = new Tally({ url: process.env.U, token: process.env.T, offlineDir: false, flushIntervalMs: 60000 });
const run = tally.attachRun(process.env.R!);
for (let i = 0; i < 10; i++) run.logMetric("exit", i, i, 100 + i);
`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: root,
      env: { ...process.env, U: fake.url, T: fake.token, R: runId },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(fake.metricsOf(runId)).toHaveLength(10);
  });
});
