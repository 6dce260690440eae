/**
 * What a run's code was, captured when it starts: the git commit, branch and remote, whether the
 * working tree had changes, the changes themselves (size-capped) and the command line. The server
 * builds its Reproduce panel from these (docs/reproducibility.md in the Tally repository).
 *
 * Git runs through execFile (no shell). Nothing here may fail a run: without git, outside a
 * repository or in one without commits, nothing about git is recorded.
 */
import { execFile } from "node:child_process";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";

export interface SourceCaptureOptions {
  /** The directory whose repository is recorded and that the command ran in (default: process.cwd()). */
  cwd?: string;
  /**
   * The command line to record, as words (default: process.argv, with node's path reduced to its
   * name and the script's path made relative to `cwd`).
   */
  command?: string[];
  /** Store the uncommitted changes as the run artifact `tally/source.diff` (default true). */
  diff?: boolean;
}

export const SOURCE_TAGS = {
  repoUrl: "mlflow.source.git.repoURL",
  commit: "mlflow.source.git.commit",
  branch: "mlflow.source.git.branch",
  sourceName: "mlflow.source.name",
  sourceType: "mlflow.source.type",
  dirty: "tally.source.git.dirty",
  diffTruncated: "tally.source.git.diffTruncated",
  command: "tally.source.command",
  workdir: "tally.source.workdir",
} as const;

/** The run artifact that holds the diff, relative to the run's artifact root. */
export const SOURCE_DIFF_ARTIFACT = "tally/source.diff";
/** The diff is cut at this size (at a line end) and marked truncated. */
export const MAX_DIFF_BYTES = 512 * 1024;
/** Untracked files added to the diff; past this many the diff is marked truncated. */
const MAX_UNTRACKED_FILES = 100;
/** The server's limit for a run tag's value (MLflow's); a longer command line is not recorded. */
const MAX_TAG_LENGTH = 8000;
const GIT_TIMEOUT_MS = 10_000;

export interface CapturedSource {
  tags: Record<string, string>;
  /** The uncommitted changes as `git apply` reads them; null when the tree is clean, git is absent or diffs are off. */
  diff: { bytes: Buffer; truncated: boolean } | null;
}

interface GitOutput {
  stdout: Buffer;
  code: number;
  /** Output beyond `maxBytes` was cut off (and git stopped). */
  truncated: boolean;
}

/** One git command; null when git cannot be run at all (not installed, timed out). */
function git(cwd: string, args: string[], maxBytes = 1024 * 1024): Promise<GitOutput | null> {
  return new Promise((resolve) => {
    execFile(
      "git",
      args,
      {
        cwd,
        encoding: "buffer",
        maxBuffer: maxBytes,
        timeout: GIT_TIMEOUT_MS,
        windowsHide: true,
        // Reading must not take the index lock another git process may want.
        env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" },
      },
      (error, stdout) => {
        if (!error) return resolve({ stdout, code: 0, truncated: false });
        const failure = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
        if (failure.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return resolve({ stdout, code: 0, truncated: true });
        if (typeof failure.code === "number" && !failure.killed) return resolve({ stdout, code: failure.code, truncated: false });
        resolve(null);
      },
    );
  });
}

const text = (output: GitOutput | null) => (output && output.code === 0 ? output.stdout.toString("utf8").trim() : "");

/** One shell word holding exactly `value` (the server accepts only such literal words as a command). */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A remote's URL without the password or token it may carry (`https://user:token@host/...`). */
export function withoutCredentials(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i.exec(url);
  if (!match) return url;
  const [whole, scheme, userinfo] = match as unknown as [string, string, string];
  // ssh names the account to log in as (git@...): keep the user, never a password.
  const kept = /^ssh:|^git\+ssh:|^ssh\+git:/i.test(scheme) ? `${userinfo.split(":")[0]}@` : "";
  return `${scheme}${kept}${url.slice(whole.length)}`;
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** node's own command line: `node <script relative to cwd> args...`. */
function processCommand(cwd: string): string[] {
  const [interpreter, script, ...args] = process.argv;
  const words = [interpreter === process.execPath ? path.basename(process.execPath) : (interpreter ?? "")];
  if (script !== undefined) words.push(path.isAbsolute(script) && isInside(cwd, script) ? path.relative(cwd, script) : script);
  return [...words, ...args];
}

/** The command's script (its second word) when it names a file, relative to the repository root (or `cwd`). */
async function entryPointOf(command: string[], cwd: string, root: string | null): Promise<string | null> {
  const script = command[1];
  if (!script || script.startsWith("-")) return null;
  const absolute = path.resolve(cwd, script);
  const isFile = await stat(absolute).then((info) => info.isFile(), () => false);
  if (!isFile) return null;
  const base = root ?? cwd;
  const real = await realpath(absolute).catch(() => absolute);
  return isInside(base, real) ? path.relative(base, real).split(path.sep).join("/") : real;
}

/** The name of the remote to record: `origin`, else the first one. */
async function remoteUrl(root: string): Promise<string | null> {
  const remotes = text(await git(root, ["remote"])).split("\n").filter(Boolean);
  const name = remotes.includes("origin") ? "origin" : remotes[0];
  if (!name) return null;
  const url = text(await git(root, ["remote", "get-url", "--", name]));
  return url ? withoutCredentials(url) : null;
}

const DIFF_FLAGS = ["--binary", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/"];

/** Tracked changes against HEAD, then each untracked (not ignored) file as a new file, up to MAX_DIFF_BYTES. */
async function uncommittedDiff(root: string): Promise<{ bytes: Buffer; truncated: boolean } | null> {
  const parts: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const add = (output: GitOutput | null) => {
    if (!output) return false;
    parts.push(output.stdout);
    size += output.stdout.length;
    if (output.truncated || size > MAX_DIFF_BYTES) truncated = true;
    return !truncated;
  };
  if (!add(await git(root, ["diff", "HEAD", ...DIFF_FLAGS], MAX_DIFF_BYTES + 1))) return finish(parts, truncated);
  const listing = await git(root, ["ls-files", "--others", "--exclude-standard", "-z"]);
  if (listing === null || listing.code !== 0) return finish(parts, truncated);
  const untracked = listing.stdout.toString("utf8").split("\0").filter(Boolean);
  if (listing.truncated || untracked.length > MAX_UNTRACKED_FILES) truncated = true;
  for (const file of untracked.slice(0, MAX_UNTRACKED_FILES)) {
    // --no-index exits 1 when the files differ, which they always do here.
    const output = await git(root, ["diff", "--no-index", ...DIFF_FLAGS, "--", "/dev/null", file], MAX_DIFF_BYTES - size + 1);
    if (!add(output)) break;
  }
  return finish(parts, truncated);
}

function finish(parts: Buffer[], truncated: boolean): { bytes: Buffer; truncated: boolean } | null {
  let bytes = Buffer.concat(parts);
  if (bytes.length > MAX_DIFF_BYTES || truncated) {
    truncated = true;
    bytes = bytes.subarray(0, MAX_DIFF_BYTES);
    // Whole lines only, so what is stored stays readable text.
    const lastLine = bytes.lastIndexOf(0x0a);
    bytes = bytes.subarray(0, lastLine + 1);
  }
  return bytes.length > 0 || truncated ? { bytes, truncated } : null;
}

/** The tags (and diff) that describe the code a run is started from; never throws. */
export async function captureSource(options: SourceCaptureOptions = {}): Promise<CapturedSource> {
  const cwd = await realpath(options.cwd ?? process.cwd()).catch(() => path.resolve(options.cwd ?? process.cwd()));
  const tags: Record<string, string> = { [SOURCE_TAGS.sourceType]: "LOCAL" };
  let diff: CapturedSource["diff"] = null;

  const toplevel = text(await git(cwd, ["rev-parse", "--show-toplevel"]));
  const commit = toplevel ? text(await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"])) : "";
  const root = commit ? await realpath(toplevel).catch(() => toplevel) : null;
  if (root !== null) {
    tags[SOURCE_TAGS.commit] = commit;
    const branch = text(await git(root, ["symbolic-ref", "--short", "-q", "HEAD"]));
    if (branch) tags[SOURCE_TAGS.branch] = branch;
    const url = await remoteUrl(root);
    if (url) tags[SOURCE_TAGS.repoUrl] = url;
    const status = await git(root, ["status", "--porcelain", "--untracked-files=normal"], 64 * 1024);
    if (status && status.code === 0) {
      const dirty = status.truncated || status.stdout.length > 0;
      tags[SOURCE_TAGS.dirty] = String(dirty);
      if (dirty && options.diff !== false) {
        diff = await uncommittedDiff(root);
        if (diff?.truncated) tags[SOURCE_TAGS.diffTruncated] = "true";
      }
    }
    const workdir = path.relative(root, cwd).split(path.sep).join("/");
    if (workdir && !workdir.startsWith("..")) tags[SOURCE_TAGS.workdir] = workdir;
  }

  const command = options.command ?? processCommand(cwd);
  const line = command.map(shellQuote).join(" ");
  if (command.length > 0 && line.length <= MAX_TAG_LENGTH) tags[SOURCE_TAGS.command] = line;
  const entryPoint = await entryPointOf(command, cwd, root);
  if (entryPoint && entryPoint.length <= MAX_TAG_LENGTH) tags[SOURCE_TAGS.sourceName] = entryPoint;
  return { tags, diff };
}
