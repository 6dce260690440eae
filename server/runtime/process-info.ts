import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

/**
 * What the launcher needs to know about another process to tell a live Tally or PostgreSQL from a
 * pid that was reused by something else after a crash or a reboot.
 */
export interface ProcessInfo {
  pid: number;
  parentPid: number;
  /** argv as the process sees it (split on spaces where only `ps` could tell). */
  commandLine: string[];
  /** When it started, in clock ticks since boot (Linux only): with the pid, it names one process for good. */
  startTicks?: number;
}

/** True while `pid` runs (a process of another user counts; a zombie, exited but not yet reaped, does not). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch (error) {
    // Without /proc (macOS) the signal's answer stands; on Linux a missing entry means it is gone.
    return (error as NodeJS.ErrnoException).code !== "ENOENT" || process.platform !== "linux";
  }
}

/** The process's parent and command line, or null when it is gone. Linux reads /proc; elsewhere `ps`. */
export async function processInfo(pid: number): Promise<ProcessInfo | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    const [cmdline, stat] = await Promise.all([readFile(`/proc/${pid}/cmdline`, "utf8"), readFile(`/proc/${pid}/stat`, "utf8")]);
    // stat is "pid (comm) state ppid ... starttime ...", and comm may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, parentPid: Number(fields[1]), commandLine: cmdline.split("\0").filter(Boolean), startTicks: Number(fields[19]) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && process.platform === "linux") return null;
  }
  return processInfoFromPs(pid);
}

async function processInfoFromPs(pid: number): Promise<ProcessInfo | null> {
  try {
    const { stdout } = await promisify(execFile)("ps", ["-o", "ppid=", "-o", "args=", "-p", String(pid)]);
    const match = /^\s*(\d+)\s+(.*)$/.exec(stdout.trim());
    return match ? { pid, parentPid: Number(match[1]), commandLine: match[2]!.split(/\s+/) } : null;
  } catch {
    return null; // ps exits non-zero when there is no such process
  }
}

/** Waits until `pid` is gone; false if it is still there after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
