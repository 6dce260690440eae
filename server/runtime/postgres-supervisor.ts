import type { RunningPostgres } from "./embedded-postgres";

/**
 * Keeps the launcher's embedded PostgreSQL running: when it dies (killed, crashed, out of memory)
 * it is started again on the same port, so the web server's connection pool finds it again by
 * itself and requests in the gap get 503 (docs/operations.md, "Crash safety"). Restarts are bounded:
 * a database that keeps dying, or will not start, ends the launcher with a non-zero code so that an
 * outer supervisor (systemd, Docker's restart policy) or a person takes over.
 */
export interface SupervisedPostgres {
  url: string;
  port: number;
  /** Stops watching, then stops the server (the one running now, after any restart). */
  stop(): Promise<void>;
}

export interface SupervisionOptions {
  /** Starts the server; `port` is set for restarts, which must keep the port clients know. */
  start(port?: number): Promise<RunningPostgres>;
  say(line: string): void;
  /** Called once when restarting is given up; the launcher then stops everything and exits non-zero. */
  giveUp(reason: string): void;
  /** Start attempts per (re)start; a killed server's last processes may hold its memory for a moment. */
  attempts?: number;
  firstDelayMs?: number;
  /** More deaths than this within `windowMs` and restarting stops. */
  maxRestarts?: number;
  windowMs?: number;
}

export async function superviseEmbeddedPostgres(options: SupervisionOptions): Promise<SupervisedPostgres> {
  const { attempts = 4, firstDelayMs = 1_000, maxRestarts = 5, windowMs = 10 * 60_000 } = options;
  let current = await startWithRetries(() => options.start(), attempts, firstDelayMs);
  const port = current.port;
  let stopped = false;
  let restarting: Promise<void> | undefined;
  const deaths: number[] = [];

  const watch = (running: RunningPostgres) => {
    void running.died.then((how) => {
      if (stopped) return;
      const now = Date.now();
      deaths.push(now);
      while (deaths[0]! < now - windowMs) deaths.shift();
      if (deaths.length > maxRestarts) {
        options.giveUp(`it stopped ${deaths.length} times within ${Math.round(windowMs / 60_000)} minutes (last: ${how})`);
        return;
      }
      options.say(`The embedded PostgreSQL stopped unexpectedly (${how}); restarting it on port ${port}…`);
      restarting = startWithRetries(() => options.start(port), attempts, firstDelayMs).then(
        async (next) => {
          if (stopped) return next.stop();
          current = next;
          options.say("The embedded PostgreSQL is running again.");
          watch(next);
        },
        (error: Error) => {
          if (!stopped) options.giveUp(`it could not be restarted: ${error.message}`);
        },
      );
    });
  };
  watch(current);

  return {
    url: current.url,
    port,
    async stop() {
      stopped = true;
      await restarting;
      await current.stop();
    },
  };
}

async function startWithRetries(start: () => Promise<RunningPostgres>, attempts: number, firstDelayMs: number): Promise<RunningPostgres> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}
