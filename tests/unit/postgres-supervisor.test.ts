import { describe, expect, it } from "vitest";
import type { RunningPostgres } from "@/server/runtime/embedded-postgres";
import { superviseEmbeddedPostgres } from "@/server/runtime/postgres-supervisor";

/**
 * The restart policy alone, over stand-in servers that die when told to (the real thing is killed in
 * tests/integration/launcher-crash.test.ts).
 */
function standIns(options: { failStartsAfter?: number } = {}) {
  const started: { port: number | undefined; die(how: string): void; stopped: boolean }[] = [];
  let starts = 0;
  const start = async (port?: number): Promise<RunningPostgres> => {
    starts++;
    if (options.failStartsAfter !== undefined && starts > options.failStartsAfter) throw new Error("shared memory still in use");
    let die: (how: string) => void = () => {};
    const died = new Promise<string>((resolve) => (die = resolve));
    const server = { port, die, stopped: false };
    started.push(server);
    return {
      url: `postgresql://127.0.0.1:${port ?? 5432}/tally`,
      port: port ?? 5432,
      owned: true,
      died,
      stop: async () => void (server.stopped = true),
    };
  };
  return { start, started, starts: () => starts };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("supervising the embedded PostgreSQL", () => {
  it("restarts a server that died on the same port and stops the one running at the end", async () => {
    const servers = standIns();
    const said: string[] = [];
    const supervised = await superviseEmbeddedPostgres({ start: servers.start, say: (line) => said.push(line), giveUp: () => {}, firstDelayMs: 1 });
    servers.started[0]!.die("signal SIGKILL");
    await settle();
    expect(servers.started.map((server) => server.port)).toEqual([undefined, 5432]);
    expect(said).toEqual([
      "The embedded PostgreSQL stopped unexpectedly (signal SIGKILL); restarting it on port 5432…",
      "The embedded PostgreSQL is running again.",
    ]);
    await supervised.stop();
    expect(servers.started.map((server) => server.stopped)).toEqual([false, true]);
  });

  it("gives up when restarting keeps failing", async () => {
    const servers = standIns({ failStartsAfter: 1 });
    const reasons: string[] = [];
    await superviseEmbeddedPostgres({ start: servers.start, say: () => {}, giveUp: (reason) => reasons.push(reason), attempts: 3, firstDelayMs: 1 });
    servers.started[0]!.die("exit code 1");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(servers.starts()).toBe(4);
    expect(reasons).toEqual(["it could not be restarted: shared memory still in use"]);
  });

  it("gives up when the server keeps dying", async () => {
    const servers = standIns();
    const reasons: string[] = [];
    await superviseEmbeddedPostgres({ start: servers.start, say: () => {}, giveUp: (reason) => reasons.push(reason), firstDelayMs: 1, maxRestarts: 2 });
    for (let death = 0; death < 3; death++) {
      servers.started.at(-1)!.die("signal SIGKILL");
      await settle();
    }
    expect(servers.started).toHaveLength(3);
    expect(reasons).toEqual(["it stopped 3 times within 10 minutes (last: signal SIGKILL)"]);
  });

  it("does not restart what it was asked to stop", async () => {
    const servers = standIns();
    const supervised = await superviseEmbeddedPostgres({ start: servers.start, say: () => {}, giveUp: () => {}, firstDelayMs: 1 });
    await supervised.stop();
    servers.started[0]!.die("exit code 0");
    await settle();
    expect(servers.started).toHaveLength(1);
  });
});
