import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Tally } from "../src/client.ts";
import { captureSource, MAX_DIFF_BYTES, shellQuote, withoutCredentials } from "../src/source.ts";
import { FakeTally } from "./support/fake-server.ts";
import { git, temporaryRepository } from "./support/git-repo.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function repository(remote?: string) {
  const repo = await temporaryRepository(remote);
  dirs.push(repo.dir);
  return repo;
}

/** Applies a captured diff to a fresh clone of `dir` at its HEAD and returns the clone. */
async function applyToClone(dir: string, diff: Buffer): Promise<string> {
  const clone = await mkdtemp(path.join(tmpdir(), "tally-sdk-clone-"));
  dirs.push(clone);
  git(clone, "clone", "-q", dir, ".");
  execFileSync("git", ["apply"], { cwd: clone, input: diff });
  return clone;
}

describe("captureSource", () => {
  it("records commit, branch, remote, a clean tree and the command, relative to the repository", async () => {
    const { dir, commit } = await repository();
    const source = await captureSource({ cwd: path.join(dir, "src"), command: ["node", "../train.js", "--lr", "0.01", "it's"] });
    expect(source.tags).toEqual({
      "mlflow.source.type": "LOCAL",
      "mlflow.source.git.commit": commit,
      "mlflow.source.git.branch": "feature/smote",
      "mlflow.source.git.repoURL": "https://example.com/acme/vision.git",
      "mlflow.source.name": "train.js",
      "tally.source.git.dirty": "false",
      "tally.source.command": "node ../train.js --lr 0.01 'it'\\''s'",
      "tally.source.workdir": "src",
    });
    expect(source.diff).toBeNull();
  });

  it("captures modified, staged and untracked files as a diff that git apply turns the commit back into the working tree", async () => {
    const { dir } = await repository();
    await writeFile(path.join(dir, "train.js"), "const lr = 0.01;\nconsole.log(lr);\n");
    await writeFile(path.join(dir, "src/model.js"), "export const layers = 4;\n");
    git(dir, "add", "src/model.js");
    await writeFile(path.join(dir, "notes.md"), "# new file\n");
    await writeFile(path.join(dir, "weights.bin"), Buffer.from([0, 1, 2, 255]));
    await mkdir(path.join(dir, "data"));
    await writeFile(path.join(dir, "data/ignored.csv"), "a,b\n");

    const source = await captureSource({ cwd: dir, command: ["node", "train.js"] });
    expect(source.tags["tally.source.git.dirty"]).toBe("true");
    expect(source.tags["tally.source.git.diffTruncated"]).toBeUndefined();
    expect(source.tags["tally.source.workdir"]).toBeUndefined();
    const diff = source.diff!.bytes;
    expect(diff.toString("utf8")).not.toContain("ignored.csv");

    const clone = await applyToClone(dir, diff);
    for (const file of ["train.js", "src/model.js", "notes.md", "weights.bin"]) {
      expect(await readFile(path.join(clone, file)), file).toEqual(await readFile(path.join(dir, file)));
    }
  });

  it("cuts a diff over the cap at a line end and marks it truncated", async () => {
    const { dir } = await repository();
    await writeFile(path.join(dir, "big.txt"), "line of text\n".repeat(60_000));
    const source = await captureSource({ cwd: dir, command: ["node", "train.js"] });
    expect(source.tags["tally.source.git.diffTruncated"]).toBe("true");
    expect(source.diff!.truncated).toBe(true);
    expect(source.diff!.bytes.length).toBeLessThanOrEqual(MAX_DIFF_BYTES);
    expect(source.diff!.bytes.at(-1)).toBe(0x0a);
  });

  it("leaves the diff out when asked, and records nothing about git outside a repository or without git", async () => {
    const { dir } = await repository();
    await writeFile(path.join(dir, "train.js"), "changed\n");
    const noDiff = await captureSource({ cwd: dir, command: ["node", "train.js"], diff: false });
    expect(noDiff.tags["tally.source.git.dirty"]).toBe("true");
    expect(noDiff.diff).toBeNull();

    const plain = await mkdtemp(path.join(tmpdir(), "tally-sdk-plain-"));
    dirs.push(plain);
    await writeFile(path.join(plain, "run.js"), "");
    expect(await captureSource({ cwd: plain, command: ["node", "run.js"] })).toEqual({
      tags: { "mlflow.source.type": "LOCAL", "tally.source.command": "node run.js", "mlflow.source.name": "run.js" },
      diff: null,
    });

    // No git on the PATH: the run still gets its command line.
    const path0 = process.env.PATH;
    process.env.PATH = plain;
    try {
      const withoutGit = await captureSource({ cwd: dir, command: ["node", "train.js"] });
      expect(withoutGit).toEqual({ tags: { "mlflow.source.type": "LOCAL", "tally.source.command": "node train.js", "mlflow.source.name": "train.js" }, diff: null });
    } finally {
      process.env.PATH = path0;
    }
  });

  it("records a repository without commits as no repository", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tally-sdk-empty-"));
    dirs.push(dir);
    git(dir, "init", "-q");
    const source = await captureSource({ cwd: dir, command: ["node"] });
    expect(source.tags).toEqual({ "mlflow.source.type": "LOCAL", "tally.source.command": "node" });
  });

  it("never records a remote's password or token", () => {
    expect(withoutCredentials("https://user:ghp_secret@github.com/acme/x.git")).toBe("https://github.com/acme/x.git");
    expect(withoutCredentials("https://ghp_secret@github.com/acme/x.git")).toBe("https://github.com/acme/x.git");
    expect(withoutCredentials("ssh://git:pw@host:22/acme/x.git")).toBe("ssh://git@host:22/acme/x.git");
    expect(withoutCredentials("git@github.com:acme/x.git")).toBe("git@github.com:acme/x.git");
    expect(withoutCredentials("/srv/git/x.git")).toBe("/srv/git/x.git");
  });

  it("quotes every word of the command line so the server can tell it is only literal words", () => {
    expect(["node", "a b.js", "$HOME", "`id`", "x\ny", "--lr=0.1", ""].map(shellQuote).join(" ")).toBe(
      "node 'a b.js' '$HOME' '`id`' 'x\ny' --lr=0.1 ''",
    );
  });
});

describe("startRun with source capture", () => {
  let fake: FakeTally;
  beforeAll(async () => {
    fake = await new FakeTally().start();
  });
  afterAll(() => fake.stop());

  const client = (options: ConstructorParameters<typeof Tally>[0] = {}) =>
    new Tally({ url: fake.url, token: fake.token, offlineDir: false, flushOnExit: false, retry: { maxRetries: 0 }, ...options });

  it("sends the captured tags with runs/create and stores the diff as tally/source.diff; the caller's tags win", async () => {
    const { dir, commit } = await repository();
    await writeFile(path.join(dir, "train.js"), "changed\n");
    const tally = client({ captureSource: { cwd: dir, command: ["node", "train.js"] } });
    const run = await tally.startRun({ experiment: "capture", tags: { "mlflow.source.git.branch": "release" } });
    const record = await tally.getRun(run.id);
    expect(record.data.tags).toMatchObject({
      "mlflow.source.git.commit": commit,
      "mlflow.source.git.branch": "release",
      "tally.source.git.dirty": "true",
      "tally.source.command": "node train.js",
    });
    const stored = fake.artifacts.get(`${record.info.experimentId}/${run.id}/artifacts/tally/source.diff`);
    expect(stored?.toString("utf8")).toContain("+changed");
    await tally.close();
  });

  it("records nothing when turned off, on the client or for one run", async () => {
    const { dir } = await repository();
    await writeFile(path.join(dir, "train.js"), "changed\n");
    const off = client({ captureSource: false });
    const quiet = await off.startRun({ experiment: "capture", tags: { team: "ml" } });
    expect((await off.getRun(quiet.id)).data.tags).toEqual({ team: "ml" });
    const on = client({ captureSource: { cwd: dir } });
    const once = await on.startRun({ experiment: "capture", captureSource: false });
    expect((await on.getRun(once.id)).data.tags).toEqual({});
    expect([...fake.artifacts.keys()].filter((key) => key.includes(quiet.id) || key.includes(once.id))).toEqual([]);
    await Promise.all([off.close(), on.close()]);
  });

  it("starts the run even when the diff cannot be stored, and reports why", async () => {
    const { dir } = await repository();
    await writeFile(path.join(dir, "train.js"), "changed\n");
    const errors: Error[] = [];
    const tally = client({ captureSource: { cwd: dir, command: ["node", "train.js"] }, onError: (error) => errors.push(error) });
    fake.injected.push({ status: 500, match: "/source.diff" });
    const run = await tally.startRun({ experiment: "capture" });
    expect(run.id).toMatch(/^[0-9a-f]{32}$/);
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining("tally/source.diff) were not stored")]);
    await tally.close();
  });
});
