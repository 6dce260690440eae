import { logger } from "@/server/observability/logger";

export interface BackgroundLoop {
  /** Stops scheduling and waits for the tick in progress, if any. */
  stop(): Promise<void>;
}

/**
 * Runs `tick` now and then `intervalMs` after each tick ends, until stopped. A failing tick is
 * logged and the loop goes on (the database may be restarting). Its timer never keeps the process
 * alive on its own.
 */
export function startBackgroundLoop(name: string, intervalMs: number, tick: () => Promise<unknown>): BackgroundLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = tick()
      .then(
        () => undefined,
        (error: unknown) => logger().error({ err: error, job: name }, `Background job ${name} failed`),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs).unref();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
