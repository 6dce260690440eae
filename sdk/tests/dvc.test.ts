import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { Tally } from "../src/client.ts";
import { dvcTrackedFile } from "../src/dvc.ts";
import { TallyError } from "../src/errors.ts";
import { FakeTally } from "./support/fake-server.ts";

const CLEAN = "c3c6bc2ae8ece4bd2510dca21225c041";
const FEATURES = "708b34df1abae98f56177327749c98b1.dir";
const RAW_ADDED = "0f343b0931126a20f133d67c2b018a3b";

// As DVC 3 writes it: prepare (raw.csv → data/clean.csv), featurize (data/clean.csv → data/features/).
const LOCK = `schema: '2.0'
stages:
  prepare:
    cmd: python prepare.py
    deps:
    - path: raw.csv
      hash: md5
      md5: ${RAW_ADDED}
      size: 12
    outs:
    - path: data/clean.csv
      hash: md5
      md5: ${CLEAN}
      size: 12
  featurize:
    cmd: python featurize.py
    deps:
    - path: data/clean.csv
      hash: md5
      md5: ${CLEAN}
      size: 12
    outs:
    - path: data/features
      hash: md5
      md5: ${FEATURES}
      size: 24
      nfiles: 2
`;
const DVC_YAML = "stages:\n  prepare:\n    desc: Clean the export\n    cmd: python prepare.py\n";

let fake: FakeTally;
let dir: string;

beforeAll(async () => {
  fake = await new FakeTally().start();
  dir = await mkdtemp(path.join(tmpdir(), "tally-sdk-dvc-"));
  await mkdir(path.join(dir, "pipeline/data"), { recursive: true });
  await writeFile(path.join(dir, "pipeline/dvc.lock"), LOCK);
  await writeFile(path.join(dir, "pipeline/dvc.yaml"), DVC_YAML);
  await writeFile(path.join(dir, "pipeline/labels.csv.dvc"), `outs:\n- md5: ${RAW_ADDED}\n  size: 5\n  hash: md5\n  path: labels.csv\n`);
});
afterAll(async () => {
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests = [];
  fake.injected = [];
});

const pipeline = (...parts: string[]) => path.join(dir, "pipeline", ...parts);
const lock = () => ({ lock: pipeline("dvc.lock") });

async function cli(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, "--url", fake.url, "--token", fake.token, "--retries", "0"], {
    stdout: { write: (text: string) => ((stdout += text), true) } as never,
    stderr: { write: (text: string) => ((stderr += text), true), isTTY: false } as never,
  });
  return { code, stdout, stderr };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TallyError);
  return (error as TallyError).message;
}

describe("dvcTrackedFile", () => {
  it("reads the md5 of a stage's out, a dep and a folder from dvc.lock, with paths relative to the lock's folder", async () => {
    expect(await dvcTrackedFile(pipeline("data/clean.csv"), lock())).toEqual({ path: "data/clean.csv", md5: CLEAN, trackedBy: pipeline("dvc.lock") });
    expect(await dvcTrackedFile(pipeline("raw.csv"), lock())).toMatchObject({ path: "raw.csv", md5: RAW_ADDED });
    expect(await dvcTrackedFile(pipeline("data/./features/"), lock())).toMatchObject({ path: "data/features", md5: FEATURES });
  });

  it("falls back to the file's .dvc file (dvc add)", async () => {
    expect(await dvcTrackedFile(pipeline("labels.csv"), lock())).toEqual({ path: "labels.csv", md5: RAW_ADDED, trackedBy: pipeline("labels.csv.dvc") });
  });

  it("says why a path has no md5", async () => {
    expect(await refusal(dvcTrackedFile(pipeline("data/features/f.csv"), lock()))).toContain(
      "is inside data/features, which DVC tracks as one folder: log data/features instead",
    );
    expect(await refusal(dvcTrackedFile(pipeline("model.bin"), lock()))).toContain(`is not tracked by DVC: it is not among the deps or outs of ${pipeline("dvc.lock")}`);
    expect(await refusal(dvcTrackedFile(path.join(dir, "elsewhere.csv"), lock()))).toContain("is outside the folder of");
    expect(await refusal(dvcTrackedFile(pipeline("data/clean.csv"), { lock: pipeline("data/dvc.lock") }))).toContain("there is no");
  });
});

describe("logging a DVC-tracked file as a run input", () => {
  it("logs the path and md5 through runs/log-inputs with source type dvc and the context", async () => {
    const tally = new Tally({ url: fake.url, token: fake.token, offlineDir: false, flushOnExit: false });
    const runId = fake.createRunDirect();
    const run = tally.attachRun(runId);
    expect(await run.logDvcInput(pipeline("data/features"), { ...lock(), context: "train" })).toMatchObject({ path: "data/features", md5: FEATURES });
    expect(fake.inputs.get(runId)).toEqual([
      {
        tags: [{ key: "mlflow.data.context", value: "train" }],
        dataset: { name: "data/features", digest: FEATURES, source_type: "dvc", source: '{"uri":"data/features"}' },
      },
    ]);
    await tally.close();
  });
});

describe("tally datasets import-dvc", () => {
  const answer = {
    namespace: "dvc",
    stages: [
      { name: "prepare", node: "job:j1", created: true, inputs: ["raw.csv"], outputs: ["data/clean.csv"] },
      { name: "featurize", node: "job:j2", created: false, inputs: ["data/clean.csv"], outputs: ["data/features"] },
    ],
    dataset_versions: [],
    counts: { stages: 2, job_runs_created: 1, dataset_versions_created: 1, dataset_versions_known: 2, edges_created: 2 },
  };

  it("sends the lock and the dvc.yaml beside it to the project's import route and prints what was imported", async () => {
    fake.dvcImportAnswer = answer;
    const { code, stdout, stderr } = await cli("datasets", "import-dvc", "--lock", pipeline("dvc.lock"), "--no-git");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [request] = fake.calls("/datasets/import/dvc");
    expect(request!.path).toBe("/api/v1/projects/demo/datasets/import/dvc");
    expect(request!.body).toEqual({ lock: LOCK, dvcYaml: DVC_YAML });
    expect(stdout).toContain("Imported");
    expect(stdout).toMatch(/prepare\s+new\s+raw\.csv\s+data\/clean\.csv\s+job:j1/);
    expect(stdout).toMatch(/featurize\s+known/);
    expect(stdout).toContain("2 stages (1 new job run), 3 dataset versions (1 new, 2 known), 2 new edges.");
  });

  it("records the git origin without its credentials, and the commit only when the lock is committed", async () => {
    fake.dvcImportAnswer = answer;
    const repo = await mkdtemp(path.join(tmpdir(), "tally-sdk-dvc-git-"));
    const run = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
    run("init", "-q");
    run("remote", "add", "origin", "https://alice:ghp_secret@example.test/acme/pipeline.git");
    await writeFile(path.join(repo, "dvc.lock"), LOCK);
    run("add", "dvc.lock");
    run("-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-qm", "lock");
    const commit = run("rev-parse", "HEAD");

    await cli("datasets", "import-dvc", "--lock", path.join(repo, "dvc.lock"));
    expect(fake.calls("/datasets/import/dvc")[0]!.body).toEqual({ lock: LOCK, repo: { url: "https://example.test/acme/pipeline.git", commit } });

    await writeFile(path.join(repo, "dvc.lock"), LOCK.replace("python prepare.py", "python prepare.py --fast"));
    const changed = await cli("datasets", "import-dvc", "--lock", path.join(repo, "dvc.lock"));
    expect(fake.calls("/datasets/import/dvc")[1]!.body).toMatchObject({ repo: { url: "https://example.test/acme/pipeline.git" } });
    expect(fake.calls("/datasets/import/dvc")[1]!.body).not.toHaveProperty("repo.commit");
    expect(changed.stdout).toContain("Note: dvc.lock has changes not committed to git, so no commit is recorded.");
    await rm(repo, { recursive: true, force: true });
  });

  it("reports the server's refusal and a missing lock", async () => {
    fake.injected.push({ status: 400, body: JSON.stringify({ error: { code: "BAD_INPUT", message: "lock: stages.x.deps[0].md5: missing" } }) });
    const refused = await cli("datasets", "import-dvc", "--lock", pipeline("dvc.lock"), "--no-git");
    expect(refused).toMatchObject({ code: 1, stderr: "tally: BAD_INPUT: lock: stages.x.deps[0].md5: missing\n" });
    const missing = await cli("datasets", "import-dvc", "--lock", path.join(dir, "none.lock"), "--no-git");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no dvc.lock at ${path.join(dir, "none.lock")}`);
    expect((await cli("datasets", "export")).code).toBe(2);
  });
});
