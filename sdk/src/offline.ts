/**
 * The offline buffer: requests that could not reach the server (after retries) are appended to a
 * JSON-lines file and replayed later, in order. Replay is safe because the server stores identical
 * metric points once, and re-sending a param with the same value or a tag is idempotent.
 *
 * Layout of `dir`:
 *   buffer.jsonl           appended to while offline
 *   replay-<ms>-<pid>.jsonl a buffer taken for replay (renamed atomically, so appends go to a fresh
 *                          buffer.jsonl); left behind, with only its unsent entries, when replay stops
 *   replay.lock            held by the process replaying (one at a time per directory)
 *   rejected.jsonl         entries the server refused (4xx) during replay, with the error, for inspection
 */
import { constants } from "node:fs";
import { appendFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { LogBatchBody } from "./wire.ts";
import { TallyError } from "./errors.ts";

export type OfflineEntry =
  | { v: 1; kind: "log-batch"; base: string; at: number; body: LogBatchBody }
  | { v: 1; kind: "update-run"; base: string; at: number; body: { run_id: string; status: string; end_time: number } };

export type OfflineEntryInput =
  | { kind: "log-batch"; body: LogBatchBody }
  | { kind: "update-run"; body: { run_id: string; status: string; end_time: number } };

export interface ReplayResult {
  /** Entries sent successfully. */
  sent: number;
  /** Entries still buffered for this server (replay stopped at a transient failure). */
  remaining: number;
  /** Entries the server refused; moved to rejected.jsonl. */
  rejected: number;
  /** True when another process held the replay lock, so nothing was done. */
  locked: boolean;
}

const BUFFER = "buffer.jsonl";
const LOCK = "replay.lock";
const REJECTED = "rejected.jsonl";
const STALE_LOCK_MS = 10 * 60_000;

export class OfflineBuffer {
  /** Appends and the rename that starts a replay run one at a time in this process. */
  private chain: Promise<unknown> = Promise.resolve();
  private replaying: Promise<ReplayResult> | undefined;
  private counter = 0;

  constructor(
    readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Appends entries for `base` (the project URL) as JSON lines. */
  append(base: string, entries: OfflineEntryInput[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const at = this.now();
    const text = entries.map((entry) => JSON.stringify({ v: 1, ...entry, base, at }) + "\n").join("");
    return this.serial(async () => {
      await mkdir(this.dir, { recursive: true });
      await appendFile(path.join(this.dir, BUFFER), text, { mode: 0o600 });
    });
  }

  /** Files holding entries, oldest first (replay leftovers, then the live buffer). */
  private async files(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const taken = names.filter((name) => /^replay-\d+-\d+-\d+\.jsonl$/.test(name)).sort(compareReplayNames);
    if (names.includes(BUFFER)) taken.push(BUFFER);
    return taken;
  }

  /** Every buffered entry, oldest first (for inspection and tests). */
  async entries(): Promise<OfflineEntry[]> {
    const all: OfflineEntry[] = [];
    for (const name of await this.files()) all.push(...(await readEntries(path.join(this.dir, name))));
    return all;
  }

  /** Whether any entry for `base` (or for any server, without it) is buffered. */
  async hasPending(base?: string): Promise<boolean> {
    for (const name of await this.files()) {
      const entries = await readEntries(path.join(this.dir, name));
      if (entries.some((entry) => base === undefined || entry.base === base)) return true;
    }
    return false;
  }

  /**
   * Sends this server's buffered entries in order through `send`. Stops at the first transient
   * failure (keeping that entry and everything after it); an entry the server refuses outright (4xx)
   * goes to rejected.jsonl and replay continues. Entries for other servers are left in place.
   */
  replay(base: string, send: (entry: OfflineEntry) => Promise<void>): Promise<ReplayResult> {
    if (this.replaying) return this.replaying;
    this.replaying = this.replayLocked(base, send).finally(() => {
      this.replaying = undefined;
    });
    return this.replaying;
  }

  private async replayLocked(base: string, send: (entry: OfflineEntry) => Promise<void>): Promise<ReplayResult> {
    const result: ReplayResult = { sent: 0, remaining: 0, rejected: 0, locked: false };
    if ((await this.files()).length === 0) return result;
    const lockPath = path.join(this.dir, LOCK);
    if (!(await acquireLock(lockPath, this.now))) return { ...result, locked: true };
    try {
      // Take the live buffer: later appends start a new one, which sorts after it.
      await this.serial(async () => {
        const buffer = path.join(this.dir, BUFFER);
        const size = await stat(buffer).then((s) => s.size, () => -1);
        if (size > 0) {
          await rename(buffer, path.join(this.dir, `replay-${this.now()}-${process.pid}-${this.counter++}.jsonl`));
        } else if (size === 0) {
          await rm(buffer, { force: true });
        }
      });
      const files = (await this.files()).filter((name) => name !== BUFFER);
      let stopped = false;
      for (const name of files) {
        const file = path.join(this.dir, name);
        const entries = await readEntries(file);
        const kept: OfflineEntry[] = [];
        let index = 0;
        for (; index < entries.length && !stopped; index++) {
          const entry = entries[index]!;
          if (entry.base !== base) {
            kept.push(entry);
            continue;
          }
          try {
            await send(entry);
            result.sent++;
          } catch (error) {
            if (error instanceof TallyError && !error.retryable) {
              result.rejected++;
              await appendFile(
                path.join(this.dir, REJECTED),
                JSON.stringify({ ...entry, error: { error_code: error.errorCode, message: error.serverMessage } }) + "\n",
              );
              continue;
            }
            stopped = true;
            index--; // keep the failed entry
          }
        }
        const rest = [...kept, ...entries.slice(index)];
        result.remaining += rest.filter((entry) => entry.base === base).length;
        if (rest.length === 0) await rm(file, { force: true });
        else if (rest.length !== entries.length || stopped) await writeAtomic(file, rest);
        if (stopped) {
          // count what is left in later files too
          for (const later of files.slice(files.indexOf(name) + 1)) {
            result.remaining += (await readEntries(path.join(this.dir, later))).filter((e) => e.base === base).length;
          }
          break;
        }
      }
      return result;
    } finally {
      await rm(lockPath, { force: true });
    }
  }
}

function compareReplayNames(a: string, b: string): number {
  const key = (name: string) => name.slice("replay-".length, -".jsonl".length).split("-").map(Number);
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

async function readEntries(file: string): Promise<OfflineEntry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return [];
  }
  const entries: OfflineEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as OfflineEntry;
      if (entry && entry.v === 1 && typeof entry.base === "string") entries.push(entry);
    } catch {
      // a torn last line from a crash mid-append: skip it
    }
  }
  return entries;
}

async function writeAtomic(file: string, entries: OfflineEntry[]): Promise<void> {
  const temp = `${file}.tmp`;
  await writeFile(temp, entries.map((entry) => JSON.stringify(entry) + "\n").join(""), { mode: 0o600 });
  await rename(temp, file);
}

async function acquireLock(lockPath: string, now: () => number): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, at: now() }));
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!(await lockIsStale(lockPath, now))) return false;
      await rm(lockPath, { force: true });
    }
  }
  return false;
}

async function lockIsStale(lockPath: string, now: () => number): Promise<boolean> {
  try {
    const { pid, at } = JSON.parse(await readFile(lockPath, "utf8")) as { pid: number; at: number };
    if (now() - at > STALE_LOCK_MS) return true;
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ESRCH";
    }
  } catch {
    return true; // unreadable or half-written: treat as stale
  }
}
