import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmdirSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectWithToken } from "../factories";
import { startTally, stopTallies } from "../support/tally-server";

/**
 * A full disk under TALLY_HOME during an artifact upload, for real: the server's home is a 2 MiB
 * tmpfs. Mounting needs root (CI and this suite's container run as root); elsewhere the file is
 * skipped rather than faking the disk.
 */
const root = path.resolve(import.meta.dirname, "../..");
let home = "";
let mounted = false;
let base = "";
let project = { slug: "", token: "" };

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), "tally-disk-full-"));
  mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", home]).status === 0;
  if (!mounted) return;
  const created = await createProjectWithToken("MEMBER");
  project = { slug: created.project.slug, token: created.plaintext };
  base = await startTally({ TALLY_HOME: home });
}, 90_000);

afterAll(async () => {
  await stopTallies();
  if (mounted) spawnSync("umount", [home]);
  rmdirSync(home);
});

/** The real mlflow client logging artifacts of these sizes; what it printed. */
async function logArtifacts(...files: string[]): Promise<string> {
  const client = spawn(path.join(root, ".venv", "bin", "python"), [path.join(root, "tests/support/mlflow_log_artifacts.py"), ...files], {
    env: { ...process.env, MLFLOW_TRACKING_URI: `${base}/projects/${project.slug}`, MLFLOW_TRACKING_TOKEN: project.token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  client.stdout.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  client.stderr.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  const code = await new Promise((resolve) => client.once("exit", resolve));
  expect(code, printed).toBe(0);
  return printed;
}

describe("a full disk during an artifact upload", () => {
  it("is refused with a clear error the mlflow client shows at once, and leaves nothing behind", async (context) => {
    if (!mounted) context.skip("mounting a size-capped tmpfs needs root");
    const started = Date.now();
    const printed = await logArtifacts("big.bin=3000000", "small.txt=20000");
    // 507 is not one of the codes the client retries: it reports at once instead of backing off for minutes.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(printed).toMatch(/^REFUSED big\.bin: 507 Server Error.*artifact storage is full, so this artifact was not stored/m);
    // The partial file was removed, so the space is there again for a file that fits.
    expect(printed).toMatch(/^STORED small\.txt$/m);
    expect(printed).toMatch(/^LISTED \["small\.txt"\]$/m);
    expect(await readdir(path.join(home, "artifacts", "staging"))).toEqual([]);
  }, 60_000);
});
