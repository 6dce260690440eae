import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { Tally } from "../src/client.ts";
import { storagePathOf } from "../src/registry.ts";
import { FakeTally } from "./support/fake-server.ts";

let fake: FakeTally;
let dir: string;

beforeAll(async () => {
  fake = await new FakeTally().start();
  dir = await mkdtemp(path.join(tmpdir(), "tally-sdk-registry-"));
});
afterAll(async () => {
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests = [];
  fake.injected = [];
  fake.artifacts.clear();
});

function client() {
  return new Tally({ url: fake.url, token: fake.token, offlineDir: false, flushOnExit: false, captureSource: false, retry: { maxRetries: 1, baseDelayMs: 1 } });
}

/** The fake server has no registry: each test queues the answers it needs. */
function answer(endpoint: string, body: unknown, status = 200) {
  fake.injected.push({ match: endpoint, status, body: JSON.stringify(body) });
}

const RUN = "a".repeat(32);
const wireVersion = (version: number, extra: Record<string, unknown> = {}) => ({
  name: "clf",
  version: String(version),
  creation_timestamp: 1_700_000_000_000,
  last_updated_timestamp: 1_700_000_000_500,
  user_id: "token ci (tok1)",
  current_stage: "None",
  description: "",
  source: `runs:/${RUN}/model`,
  run_id: RUN,
  status: "READY",
  tags: [{ key: "k", value: "v" }],
  aliases: [],
  ...extra,
});

describe("registry", () => {
  it("registerModel creates the model, tolerates RESOURCE_ALREADY_EXISTS, then creates the version", async () => {
    answer("/registered-models/create", { error_code: "RESOURCE_ALREADY_EXISTS", message: "Registered Model (name=clf) already exists." }, 400);
    answer("/model-versions/create", { model_version: wireVersion(3) });
    const version = await client().registerModel({ name: "clf", source: `runs:/${RUN}/model`, runId: RUN, tags: { k: "v" } });
    expect(version).toEqual({
      name: "clf",
      version: 3,
      source: `runs:/${RUN}/model`,
      runId: RUN,
      status: "READY",
      stage: "None",
      description: "",
      userId: "token ci (tok1)",
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_500,
      aliases: [],
      tags: { k: "v" },
    });
    expect(fake.requests.map((request) => `${request.method} ${request.path.replace(/^.*\/mlflow/, "")}`)).toEqual([
      "POST /registered-models/create",
      "POST /model-versions/create",
    ]);
    expect(fake.requests[0]!.body).toEqual({ name: "clf" });
    expect(fake.requests[1]!.body).toEqual({ name: "clf", source: `runs:/${RUN}/model`, run_id: RUN, tags: [{ key: "k", value: "v" }] });
  });

  it("registerModel sends model_id and stops at any other error of the create", async () => {
    answer("/registered-models/create", { registered_model: { name: "fresh" } });
    answer("/model-versions/create", { model_version: wireVersion(1, { name: "fresh", source: "models:/m-1", model_id: "m-1", run_id: undefined }) });
    const version = await client().registerModel({ name: "fresh", source: "models:/m-1", modelId: "m-1" });
    expect(version).toMatchObject({ name: "fresh", version: 1, modelId: "m-1" });
    expect(version.runId).toBeUndefined();
    expect(fake.requests[1]!.body).toEqual({ name: "fresh", source: "models:/m-1", model_id: "m-1", tags: [] });

    fake.requests = [];
    answer("/registered-models/create", { error_code: "PERMISSION_DENIED", message: "read-only token" }, 403);
    await expect(client().registerModel({ name: "clf", source: "runs:/x/model" })).rejects.toMatchObject({ errorCode: "PERMISSION_DENIED" });
    expect(fake.requests).toHaveLength(1);
  });

  it("aliases and versions: the requests MLflow's client sends", async () => {
    const tally = client();
    answer("/registered-models/alias", {});
    await tally.setAlias("clf", "champion", 2);
    answer("/registered-models/alias", { model_version: wireVersion(2, { aliases: ["champion"], current_stage: "Production" }) });
    expect(await tally.getVersionByAlias("clf", "champion")).toMatchObject({ version: 2, aliases: ["champion"], stage: "Production" });
    answer("/model-versions/get", { model_version: wireVersion(1) });
    expect(await tally.getVersion("clf", "1")).toMatchObject({ version: 1 });
    answer("/registered-models/alias", {});
    await tally.deleteAlias("clf", "champion");
    const [set, get, getVersion, remove] = fake.requests;
    expect([set!.method, set!.body]).toEqual(["POST", { name: "clf", alias: "champion", version: "2" }]);
    expect([get!.method, Object.fromEntries(get!.query)]).toEqual(["GET", { name: "clf", alias: "champion" }]);
    expect([getVersion!.path.endsWith("/model-versions/get"), Object.fromEntries(getVersion!.query)]).toEqual([true, { name: "clf", version: "1" }]);
    expect([remove!.method, remove!.body]).toEqual(["DELETE", { name: "clf", alias: "champion" }]);
    await expect(tally.setAlias("clf", "champion", 0)).rejects.toMatchObject({ errorCode: "INVALID_PARAMETER_VALUE" });
    await expect(tally.getVersion("clf", "latest")).rejects.toMatchObject({ errorCode: "INVALID_PARAMETER_VALUE" });
  });

  it("downloadVersion by alias: get-download-uri, then the folder through the artifact API", async () => {
    fake.artifacts.set(`1/${RUN}/artifacts/model/MLmodel`, Buffer.from("flavors: {}\n"));
    fake.artifacts.set(`1/${RUN}/artifacts/model/data/weights.bin`, Buffer.from([0, 1, 2, 255]));
    fake.artifacts.set(`1/${RUN}/artifacts/other.txt`, Buffer.from("not the model"));
    answer("/registered-models/alias", { model_version: wireVersion(4, { aliases: ["champion"] }) });
    answer("/model-versions/get-download-uri", { artifact_uri: `mlflow-artifacts:/1/${RUN}/artifacts/model` });
    const dest = path.join(dir, "by-alias");
    const result = await client().downloadVersion("clf", { alias: "champion" }, dest);
    expect(result.path).toBe(dest);
    expect(result.version.version).toBe(4);
    expect((await readdir(dest)).sort()).toEqual(["MLmodel", "data"]);
    expect(await readFile(path.join(dest, "data/weights.bin"))).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(Object.fromEntries(fake.calls("/model-versions/get-download-uri")[0]!.query)).toEqual({ name: "clf", version: "4" });
  });

  it("downloadVersion of a single file puts it in dest; a foreign storage URI is refused", async () => {
    fake.artifacts.set(`1/${RUN}/artifacts/model.pkl`, Buffer.from("pickle"));
    answer("/model-versions/get", { model_version: wireVersion(5) });
    answer("/model-versions/get-download-uri", { artifact_uri: `mlflow-artifacts:/1/${RUN}/artifacts/model.pkl` });
    const dest = path.join(dir, "single");
    const result = await client().downloadVersion("clf", 5, dest);
    expect(result.path).toBe(path.join(dest, "model.pkl"));
    expect(await readFile(result.path, "utf8")).toBe("pickle");

    answer("/model-versions/get", { model_version: wireVersion(6) });
    answer("/model-versions/get-download-uri", { artifact_uri: "s3://bucket/model" });
    await expect(client().downloadVersion("clf", 6, dest)).rejects.toMatchObject({ errorCode: "UNSUPPORTED_SOURCE" });
  });

  it("storagePathOf reads mlflow-artifacts URIs and the proxied API's URLs", () => {
    expect(storagePathOf("mlflow-artifacts:/1/abc/artifacts/model/")).toBe("1/abc/artifacts/model");
    expect(storagePathOf("mlflow-artifacts://host:5000/1/abc/artifacts")).toBe("1/abc/artifacts");
    expect(storagePathOf("http://h/projects/p/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts")).toBe("1/abc/artifacts");
    expect(storagePathOf("s3://bucket/key")).toBeUndefined();
  });
});

describe("CLI models", () => {
  async function cli(...args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main([...args, "--url", fake.url, "--token", fake.token, "--retries", "0"], {
      stdout: { write: (text: string) => ((stdout += text), true) } as never,
      stderr: { write: (text: string) => ((stderr += text), true), isTTY: false } as never,
    });
    return { code, stdout, stderr };
  }

  it("register, alias set/delete, get by alias", async () => {
    answer("/registered-models/create", { registered_model: { name: "clf" } });
    answer("/model-versions/create", { model_version: wireVersion(1) });
    const registered = await cli("models", "register", "clf", `runs:/${RUN}/model`, "--run", RUN, "--tag", "team=vision");
    expect(registered).toMatchObject({ code: 0, stdout: `Registered clf version 1 from runs:/${RUN}/model.\n` });
    expect(fake.calls("/model-versions/create")[0]!.body).toMatchObject({ run_id: RUN, tags: [{ key: "team", value: "vision" }] });

    answer("/registered-models/alias", {});
    expect(await cli("models", "alias", "set", "clf", "champion", "1")).toMatchObject({ code: 0, stdout: "clf@champion → version 1\n" });
    answer("/registered-models/alias", { model_version: wireVersion(1, { aliases: ["champion"] }) });
    const shown = await cli("models", "get", "clf", "--alias", "champion");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Model clf version 1\n/);
    expect(shown.stdout).toMatch(/aliases: +champion/);
    answer("/registered-models/alias", {});
    expect(await cli("models", "alias", "delete", "clf", "champion")).toMatchObject({ code: 0 });
    answer("/registered-models/alias", { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Registered model alias champion not found." }, 404);
    const missing = await cli("models", "get", "clf", "--alias", "champion");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/RESOURCE_DOES_NOT_EXIST/);
  });

  it("refuses bad usage with exit code 2", async () => {
    expect((await cli("models", "get", "clf")).code).toBe(2);
    expect((await cli("models", "get", "clf", "1", "--alias", "a")).code).toBe(2);
    expect((await cli("models", "get", "clf", "v1")).code).toBe(2);
    expect((await cli("models", "download", "clf", "1")).code).toBe(2); // no --dest
    expect((await cli("models", "register", "clf")).code).toBe(2);
    expect((await cli("models", "register", "clf", "runs:/x/m", "--tag", "novalue")).code).toBe(2);
    expect((await cli("models", "alias", "move", "clf")).code).toBe(2);
    expect(fake.requests).toHaveLength(0);
  });
});
