import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** git in `cwd`, with an identity of its own so commits work on any machine. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=SDK Tests", "-c", "user.email=sdk@example.test", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();
}

/** A real repository with one commit (train.js, src/model.js), a remote and a branch of its own. */
export async function temporaryRepository(remote = "https://example.com/acme/vision.git"): Promise<{ dir: string; commit: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "tally-sdk-git-"));
  git(dir, "init", "-q");
  await mkdir(path.join(dir, "src"));
  await writeFile(path.join(dir, "train.js"), "const lr = 0.1;\nconsole.log(lr);\n");
  await writeFile(path.join(dir, "src/model.js"), "export const layers = 3;\n");
  await writeFile(path.join(dir, ".gitignore"), "data/\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "first");
  git(dir, "checkout", "-q", "-b", "feature/smote");
  git(dir, "remote", "add", "origin", remote);
  return { dir, commit: git(dir, "rev-parse", "HEAD") };
}
