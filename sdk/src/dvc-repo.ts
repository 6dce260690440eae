/**
 * The git repository a dvc.lock belongs to, for `tally datasets import-dvc`: the origin URL (without
 * credentials) and the commit, when the lock is committed there. A lock with uncommitted changes (just
 * after `dvc repro`) is not what HEAD holds, so no commit is claimed for it.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { withoutCredentials } from "./source.ts";

export interface LockRepo {
  url?: string;
  commit?: string;
  /** Why the commit was left out, for the CLI to say. */
  note?: string;
}

function git(cwd: string, ...args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, timeout: 10_000 }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}

export async function repoOfLock(lockFile: string): Promise<LockRepo> {
  const cwd = path.dirname(path.resolve(lockFile));
  const commit = await git(cwd, "rev-parse", "HEAD");
  if (commit === undefined) return {};
  const origin = await git(cwd, "remote", "get-url", "origin");
  const url = origin ? withoutCredentials(origin) : undefined;
  const changes = await git(cwd, "status", "--porcelain", "--", path.basename(lockFile));
  if (changes) return { ...(url ? { url } : {}), note: `${path.basename(lockFile)} has changes not committed to git, so no commit is recorded` };
  return { ...(url ? { url } : {}), commit };
}
