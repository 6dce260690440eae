/**
 * End to end against a REAL Tally: the production build (`NEXT_TELEMETRY_DISABLED=1 npx next build`
 * first) started by scripts/serve-test-instance.ts on a throwaway database, with a project and token
 * made through scripts/admin.ts. Skipped when there is no build. Port: TALLY_TEST_PORT (default 3500).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, connect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tally, type TallyOptions } from "../src/client.ts";
import { OfflineBuffer } from "../src/offline.ts";
import { git as gitIn, temporaryRepository } from "./support/git-repo.ts";

const root = path.resolve(import.meta.dirname, "../..");
const hasBuild = existsSync(path.join(root, ".next/BUILD_ID"));
const port = process.env.TALLY_TEST_PORT ?? "3500";

let instance: ChildProcess | undefined;
let serverUrl = "";
let projectUrl = "";
let token = "";
let work = "";
const clients: Tally[] = [];

function run(command: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

async function admin(databaseUrl: string, ...args: string[]): Promise<string> {
  const result = await run(["--import", "tsx", "scripts/admin.ts", ...args], { DATABASE_URL: databaseUrl });
  if (result.code !== 0) throw new Error(`admin ${args[0]} failed (${result.code}): ${result.stderr}`);
  return result.stdout.trim();
}

function tally(options: TallyOptions = {}) {
  const client = new Tally({ url: projectUrl, token, flushOnExit: false, offlineDir: false, captureSource: false, onError: () => undefined, ...options });
  clients.push(client);
  return client;
}

describe.skipIf(!hasBuild)("SDK against a real Tally", () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "tally-sdk-e2e-"));
    instance = spawn(process.execPath, ["--import", "tsx", "scripts/serve-test-instance.ts"], {
      cwd: root,
      env: { ...process.env, TALLY_TEST_PORT: port },
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    const info = await new Promise<{ url: string; databaseUrl: string }>((resolve, reject) => {
      let buffer = "";
      const timer = setTimeout(() => reject(new Error("the test instance did not start within 100 s")), 100_000);
      instance!.stdout!.on("data", (chunk) => {
        buffer += chunk;
        const match = /TALLY_TEST_INSTANCE (\{.*\})/.exec(buffer);
        if (match) {
          clearTimeout(timer);
          resolve(JSON.parse(match[1]!));
        }
      });
      instance!.on("exit", (code) => reject(new Error(`the test instance exited (${code})`)));
    });
    serverUrl = info.url;
    await admin(info.databaseUrl, "create-user", "--email", "sdk-admin@example.com", "--password", "sdk-password-123", "--admin");
    await admin(info.databaseUrl, "create-project", "--slug", "sdk-e2e", "--name", "SDK e2e", "--owner", "sdk-admin@example.com");
    token = await admin(info.databaseUrl, "create-token", "--project", "sdk-e2e", "--name", "sdk-tests", "--scopes", "read,write");
    projectUrl = `${serverUrl}/projects/sdk-e2e`;
  }, 180_000);

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    if (instance?.pid && instance.exitCode === null) {
      const exited = new Promise((resolve) => instance!.once("exit", resolve));
      process.kill(-instance.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    }
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  it("whoami names the project and token", async () => {
    expect(token).toMatch(/^tly_/);
    const me = await tally().whoami();
    expect(me.project).toEqual({ slug: "sdk-e2e", name: "SDK e2e" });
    expect(me.token.name).toBe("sdk-tests");
    expect(me.token.scopes).toEqual(["read", "write"]);
  });

  it("startRun → logParams → 5,000 points → end, read back exactly", async () => {
    const client = tally();
    const run = await client.startRun({ experiment: "sdk-e2e", name: "five-thousand", tags: { suite: "e2e" }, params: { lr: 0.001 } });
    run.logParams({ batch_size: 64, optimizer: "adam" });
    const t0 = Date.now();
    for (let step = 0; step < 5000; step++) run.logMetric("loss", 1 / (step + 1), step, t0 + step);
    run.logMetrics({ special_nan: NaN, special_inf: Infinity }, 0, t0);
    await run.end();

    const record = await client.getRun(run.id);
    expect(record.info.status).toBe("FINISHED");
    expect(record.info.runName).toBe("five-thousand");
    expect(record.info.endTime).toBeGreaterThan(0);
    expect(record.info.artifactUri).toBe(`mlflow-artifacts:/${record.info.experimentId}/${run.id}/artifacts`);
    expect(record.data.params).toEqual({ lr: "0.001", batch_size: "64", optimizer: "adam" });
    expect(record.data.tags.suite).toBe("e2e");
    const latest = record.data.metrics.find((m) => m.key === "loss")!;
    expect(latest).toMatchObject({ step: 4999, value: 1 / 5000 });

    const history = await client.getMetricHistory(run.id, "loss");
    expect(history).toHaveLength(5000);
    const byStep = [...history].sort((a, b) => a.step - b.step);
    expect(byStep.map((m) => m.step)).toEqual([...Array(5000).keys()]);
    for (const point of byStep) {
      expect(point.value).toBe(1 / (point.step + 1));
      expect(point.timestamp).toBe(t0 + point.step);
    }
    // small pages follow tokens
    const paged = await client.getMetricHistory(run.id, "loss", { pageSize: 1500 });
    expect(paged).toHaveLength(5000);
    expect((await client.getMetricHistory(run.id, "special_nan"))[0]!.value).toBeNaN();
    expect((await client.getMetricHistory(run.id, "special_inf"))[0]!.value).toBe(Infinity);
  });

  it("retrying a batch is safe: sent twice (or a lost response), stored once", async () => {
    let lose = 1;
    const client = tally({
      retry: { maxRetries: 3, baseDelayMs: 10 },
      // The first log-batch reaches the server, but its response is "lost": the SDK retries it.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (String(input).endsWith("/runs/log-batch") && lose-- > 0) throw new TypeError("fetch failed (response lost)");
        return response;
      },
    });
    const run = await client.startRun({ experiment: "sdk-e2e", name: "retry-safety" });
    const metrics = Array.from({ length: 300 }, (_, step) => ({ key: "acc", value: step / 300, timestamp: 1_700_000_000_000 + step, step }));
    await client.logBatch(run.id, { metrics, params: [{ key: "seed", value: "7" }] });
    await client.logBatch(run.id, { metrics, params: [{ key: "seed", value: "7" }] });
    expect(lose).toBe(-2);
    const history = await client.getMetricHistory(run.id, "acc");
    expect(history).toHaveLength(300);
    await expect(client.logBatch(run.id, { params: [{ key: "seed", value: "8" }] })).rejects.toMatchObject({
      errorCode: "INVALID_PARAMETER_VALUE",
      status: 400,
    });
    await run.end();
  });

  it("maps server errors: unknown run, bad token", async () => {
    await expect(tally().getRun("0".repeat(32))).rejects.toMatchObject({ errorCode: "RESOURCE_DOES_NOT_EXIST", status: 404 });
    await expect(tally({ token: "tly_wrong" }).whoami()).rejects.toMatchObject({ errorCode: "UNAUTHENTICATED", status: 401 });
  });

  it("CLI: whoami and log-metrics from a JSONL file (subprocess)", async () => {
    const client = tally();
    const run = await client.startRun({ experiment: "sdk-e2e", name: "cli" });
    const file = path.join(work, "metrics.jsonl");
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ key: "cli_loss", value: i * 0.5, step: i, timestamp: 1_700_000_000_000 + i }));
    await writeFile(file, lines.join("\n") + "\n");
    const env = { TALLY_URL: projectUrl, TALLY_TOKEN: token };
    const who = await run_cli(["whoami"], env);
    expect(who.code).toBe(0);
    expect(who.stdout).toMatch(/project: sdk-e2e \(SDK e2e\)/);
    const logged = await run_cli(["log-metrics", "--run", run.id, "--file", file], env);
    expect(logged.stderr).toBe("");
    expect(logged.code).toBe(0);
    expect(logged.stdout).toMatch(/Logged 3000 metric points/);
    // again: identical points are stored once
    expect((await run_cli(["log-metrics", "--run", run.id, "--file", file], env)).code).toBe(0);
    const history = await client.getMetricHistory(run.id, "cli_loss");
    expect(history).toHaveLength(3000);
    expect(history.find((m) => m.step === 2999)!.value).toBe(1499.5);
    const show = await run_cli(["runs", "show", run.id], env);
    expect(show.stdout).toMatch(/cli_loss = 1499\.5 \(step 2999\)/);
    const bad = await run_cli(["runs", "show", run.id], { ...env, TALLY_TOKEN: "tly_nope" });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/UNAUTHENTICATED/);
  });

  it("artifacts: a file and a folder streamed up, listed, and downloaded byte for byte (SDK and CLI)", async () => {
    const client = tally();
    const run = await client.startRun({ experiment: "sdk-e2e", name: "artifacts" });
    const source = path.join(work, "artifact-src");
    await mkdir(path.join(source, "nested"), { recursive: true });
    const weights = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(path.join(source, "weights.bin"), weights);
    await writeFile(path.join(source, "nested", "config.json"), '{"lr": 0.01}\n');
    const report = path.join(work, "report.md");
    await writeFile(report, "# Report\n");

    expect(await client.logArtifact(run.id, source, "model")).toEqual({ files: 2, bytes: weights.length + 13 });
    await client.logArtifact(run.id, report);
    expect((await client.listArtifacts(run.id)).map((file) => [file.path, file.isDir])).toEqual([
      ["model", true],
      ["report.md", false],
    ]);
    expect(await client.listArtifacts(run.id, "model")).toEqual([
      { path: "model/nested", isDir: true },
      { path: "model/weights.bin", isDir: false, fileSize: weights.length },
    ]);

    const downloaded = await client.downloadArtifact(run.id, "model", path.join(work, "artifact-out"));
    expect((await readFile(path.join(downloaded, "weights.bin"))).equals(weights)).toBe(true);
    expect(await readFile(path.join(downloaded, "nested", "config.json"), "utf8")).toBe('{"lr": 0.01}\n');

    const env = { TALLY_URL: projectUrl, TALLY_TOKEN: token };
    const uploaded = await run_cli(["artifacts", "upload", "--run", run.id, report, "--path", "docs"], env);
    expect(uploaded.code).toBe(0);
    const listed = await run_cli(["artifacts", "list", "--run", run.id, "docs"], env);
    expect(listed.stdout).toContain("docs/report.md");
    const cliDest = path.join(work, "cli-out");
    const fetched = await run_cli(["artifacts", "download", "--run", run.id, "docs/report.md", "--dest", cliDest], env);
    expect(fetched.code).toBe(0);
    expect(await readFile(path.join(cliDest, "report.md"), "utf8")).toBe("# Report\n");
    await run.end();
  });

  it("source capture: a real repository's commit, branch, remote, dirty diff and command reach the server, and the diff applies", async () => {
    const repo = await temporaryRepository("https://ci-bot:ghp_not_recorded@example.com/acme/vision.git");
    try {
      await writeFile(path.join(repo.dir, "train.js"), "const lr = 0.01;\nconsole.log(lr);\n");
      await writeFile(path.join(repo.dir, "src", "extra.js"), "export const dropout = 0.2;\n");
      const client = tally({ captureSource: { cwd: repo.dir, command: ["node", "train.js", "--lr", "0.01"] } });
      const run = await client.startRun({ experiment: "sdk-e2e", name: "captured" });
      await run.end();

      const record = await client.getRun(run.id);
      expect(record.data.tags).toMatchObject({
        "mlflow.source.type": "LOCAL",
        "mlflow.source.name": "train.js",
        "mlflow.source.git.commit": repo.commit,
        "mlflow.source.git.branch": "feature/smote",
        "mlflow.source.git.repoURL": "https://example.com/acme/vision.git",
        "tally.source.git.dirty": "true",
        "tally.source.command": "node train.js --lr 0.01",
      });
      expect(record.data.tags["tally.source.git.diffTruncated"]).toBeUndefined();

      // The stored diff, downloaded from the server, turns a clean clone of the commit into the working tree.
      const diffFile = await client.downloadArtifact(run.id, "tally/source.diff", path.join(work, "captured"));
      const clone = path.join(work, "captured-clone");
      gitIn(work, "clone", "-q", repo.dir, clone);
      gitIn(clone, "checkout", "-q", "--detach", repo.commit);
      gitIn(clone, "apply", diffFile);
      for (const file of ["train.js", "src/extra.js"]) {
        expect(await readFile(path.join(clone, file), "utf8")).toBe(await readFile(path.join(repo.dir, file), "utf8"));
      }
    } finally {
      await rm(repo.dir, { recursive: true, force: true });
    }
  });

  it("registry: register a run's logged model, alias it, read it back and download it byte for byte (SDK and CLI)", async () => {
    const client = tally();
    const run = await client.startRun({ experiment: "sdk-e2e", name: "registry" });
    const source = path.join(work, "model-src");
    await mkdir(path.join(source, "data"), { recursive: true });
    const weights = randomBytes(2 * 1024 * 1024 + 5);
    await writeFile(path.join(source, "MLmodel"), "artifact_path: model\nflavors: {}\n");
    await writeFile(path.join(source, "data", "weights.bin"), weights);
    await client.logArtifact(run.id, source, "model");
    await run.end();

    // Two registrations: the second finds the model already there (RESOURCE_ALREADY_EXISTS is fine).
    const first = await client.registerModel({ name: "sdk-classifier", source: `runs:/${run.id}/model`, runId: run.id, tags: { data: "v1" } });
    expect(first).toMatchObject({ name: "sdk-classifier", version: 1, runId: run.id, status: "READY", stage: "None", tags: { data: "v1" } });
    expect(first.userId).toMatch(/sdk-tests/);
    const second = await client.registerModel({ name: "sdk-classifier", source: `runs:/${run.id}/model/data` });
    expect(second).toMatchObject({ version: 2, runId: run.id });
    // Concurrent first registrations of a new name: each gets its own version.
    const raced = await Promise.all([1, 2, 3].map(() => tally().registerModel({ name: "sdk-raced", source: `runs:/${run.id}/model` })));
    expect(raced.map((version) => version.version).sort()).toEqual([1, 2, 3]);

    await client.setAlias("sdk-classifier", "challenger", 1);
    const challenger = await client.getVersionByAlias("sdk-classifier", "challenger");
    expect(challenger).toMatchObject({ version: 1, aliases: ["challenger"], source: `runs:/${run.id}/model` });
    expect(await client.getVersion("sdk-classifier", 2)).toMatchObject({ version: 2, aliases: [] });

    const byAlias = await client.downloadVersion("sdk-classifier", { alias: "challenger" }, path.join(work, "registry-out"));
    expect(byAlias.version.version).toBe(1);
    expect((await readFile(path.join(byAlias.path, "data", "weights.bin"))).equals(weights)).toBe(true);
    expect(await readFile(path.join(byAlias.path, "MLmodel"), "utf8")).toBe("artifact_path: model\nflavors: {}\n");
    const byNumber = await client.downloadVersion("sdk-classifier", 2, path.join(work, "registry-out-2"));
    expect((await readFile(path.join(byNumber.path, "weights.bin"))).equals(weights)).toBe(true);

    await client.deleteAlias("sdk-classifier", "challenger");
    await expect(client.getVersionByAlias("sdk-classifier", "challenger")).rejects.toMatchObject({ errorCode: "RESOURCE_DOES_NOT_EXIST", status: 404 });
    await client.deleteAlias("sdk-classifier", "challenger"); // already gone: not an error

    const env = { TALLY_URL: projectUrl, TALLY_TOKEN: token };
    const registered = await run_cli(["models", "register", "sdk-cli-model", `runs:/${run.id}/model`, "--run", run.id], env);
    expect(registered.stderr).toBe("");
    expect(registered.stdout).toBe(`Registered sdk-cli-model version 1 from runs:/${run.id}/model.\n`);
    expect((await run_cli(["models", "alias", "set", "sdk-cli-model", "prod", "1"], env)).code).toBe(0);
    const shown = await run_cli(["models", "get", "sdk-cli-model", "--alias", "prod", "--json"], env);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ name: "sdk-cli-model", version: 1, aliases: ["prod"], runId: run.id });
    const cliDest = path.join(work, "registry-cli-out");
    const fetched = await run_cli(["models", "download", "sdk-cli-model", "--alias", "prod", "--dest", cliDest], env);
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toMatch(/^Downloaded sdk-cli-model version 1 \(@prod\)/);
    expect((await readFile(path.join(cliDest, "data", "weights.bin"))).equals(weights)).toBe(true);
    expect((await run_cli(["models", "alias", "delete", "sdk-cli-model", "prod"], env)).code).toBe(0);
    const gone = await run_cli(["models", "get", "sdk-cli-model", "--alias", "prod"], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/RESOURCE_DOES_NOT_EXIST/);
  });

  it("offline: unreachable → buffered to file → server back → replayed, data present", async () => {
    // A relay on a fixed port in front of the real server: closed, the SDK sees connection refused.
    const relay = new Relay(new URL(serverUrl).port);
    const relayPort = await relay.open(0);
    const relayUrl = `http://127.0.0.1:${relayPort}/projects/sdk-e2e`;
    const offlineDir = path.join(work, "offline");
    const options: TallyOptions = { url: relayUrl, offlineDir, retry: { maxRetries: 1, baseDelayMs: 10 } };
    const online = tally(options);
    const created = await online.startRun({ experiment: "sdk-e2e", name: "offline" });
    await relay.close();

    const offline = tally(options);
    const run = offline.attachRun(created.id);
    run.logParams({ mode: "offline" });
    for (let step = 0; step < 1500; step++) run.logMetric("off", step, step, 1_700_000_000_000 + step);
    await run.end();
    const buffered = await new OfflineBuffer(offlineDir).entries();
    expect(buffered.at(-1)!.kind).toBe("update-run");
    expect(buffered.flatMap((e) => (e.kind === "log-batch" ? e.body.metrics : []))).toHaveLength(1500);
    expect((await readFile(path.join(offlineDir, "buffer.jsonl"), "utf8")).length).toBeGreaterThan(0);
    expect((await tally().getRun(created.id)).info.status).toBe("RUNNING");

    await relay.open(relayPort);
    try {
      const result = await tally(options).replayOffline();
      expect(result).toMatchObject({ sent: buffered.length, remaining: 0, rejected: 0 });
      const record = await tally().getRun(created.id);
      expect(record.info.status).toBe("FINISHED");
      expect(record.data.params.mode).toBe("offline");
      expect(await tally().getMetricHistory(created.id, "off")).toHaveLength(1500);
      expect(await new OfflineBuffer(offlineDir).entries()).toEqual([]);
    } finally {
      await relay.close();
    }
  });

});

function run_cli(args: string[], env: NodeJS.ProcessEnv) {
  return run(["--import", "tsx", "sdk/src/cli.ts", ...args], { TALLY_URL: "", TALLY_TOKEN: "", ...env });
}

/** A TCP relay to the server that can be closed (connection refused) and reopened on the same port. */
class Relay {
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  constructor(private readonly targetPort: string) {}

  open(port: number): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.targetPort), "127.0.0.1");
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
