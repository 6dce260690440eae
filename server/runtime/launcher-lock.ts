import { link, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync, unlinkSync } from "node:fs";
import path from "node:path";
import { isAlive, processInfo } from "./process-info";

/**
 * `TALLY_HOME/tally.pid`: which launcher (`npm start`) serves this home, so that a second start
 * says where the running one is instead of fighting it for the data folder and the port, and a
 * start after a crash knows the previous launcher's leftovers are its own to clean up.
 */
export interface LauncherRecord {
  pid: number;
  url: string;
  port: number;
  startedAt: string;
  /** The process's start time where the system tells it (see ProcessInfo.startTicks): a reused pid has another. */
  processStart?: number;
}

export type LauncherLock =
  | { acquired: true; /** A launcher that died without cleaning up (its file was left behind). */ previous?: LauncherRecord }
  | { acquired: false; holder: LauncherRecord };

const FILE = "tally.pid";

/**
 * Takes the home for this process, or names the live launcher that has it. The file appears whole or
 * not at all (written aside, then hard-linked into place, which fails if it exists), so two starts
 * at once cannot both win. It is removed when this process exits normally.
 */
export async function acquireLauncherLock(home: string, record: Omit<LauncherRecord, "pid" | "startedAt">): Promise<LauncherLock> {
  const file = path.join(home, FILE);
  const processStart = (await processInfo(process.pid))?.startTicks;
  const mine: LauncherRecord = { pid: process.pid, ...record, startedAt: new Date().toISOString(), processStart };
  const draft = `${file}.${process.pid}`;
  await writeFile(draft, `${JSON.stringify(mine)}\n`);
  let previous: LauncherRecord | undefined;
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(draft, file);
        process.once("exit", () => releaseSync(file, mine.pid));
        return { acquired: true, previous };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = await readRecord(file);
      if (holder && (await isLiveLauncher(holder))) return { acquired: false, holder };
      previous ??= holder ?? undefined;
      await rm(file, { force: true });
    }
    throw new Error(`Could not take ${file}: another start keeps replacing it`);
  } finally {
    await rm(draft, { force: true });
  }
}

async function readRecord(file: string): Promise<LauncherRecord | null> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<LauncherRecord>;
    return typeof parsed.pid === "number" ? (parsed as LauncherRecord) : null;
  } catch {
    return null; // gone meanwhile, or not ours to understand: stale either way
  }
}

/**
 * The recorded launcher still runs. After a crash, and in a container's fresh pid namespace, the pid
 * may belong to anything, even to this process: the start time settles it where the system tells it,
 * else the command line must be node running scripts/start.ts.
 */
async function isLiveLauncher(holder: LauncherRecord): Promise<boolean> {
  if (holder.pid === process.pid || !isAlive(holder.pid)) return false;
  const info = await processInfo(holder.pid);
  if (!info) return false;
  if (holder.processStart !== undefined && info.startTicks !== undefined) return holder.processStart === info.startTicks;
  const [program, ...args] = info.commandLine;
  const script = path.join("scripts", "start.ts");
  return /^node/.test(path.basename(program ?? "")) && args.some((argument) => argument === script || argument.endsWith(path.sep + script));
}

function releaseSync(file: string, pid: number) {
  try {
    if ((JSON.parse(readFileSync(file, "utf8")) as LauncherRecord).pid === pid) unlinkSync(file);
  } catch {
    // already gone
  }
}
