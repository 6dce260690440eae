import { pino, type Logger } from "pino";
import { config } from "../config";
import { currentRequestId } from "./request-context";

/**
 * The process's logger: one JSON object per line on standard output, at TALLY_LOG_LEVEL or above.
 * A line written while serving a request carries that request's id (the one its answer's
 * X-Request-Id header and error body show), so an operator can go from a user's error to its log.
 * Kept on globalThis for the same reason as the request context (see request-context.ts).
 */
const globalForLogger = globalThis as unknown as { tallyLogger?: Logger };

export function logger(): Logger {
  globalForLogger.tallyLogger ??= pino(
    {
      level: config().TALLY_LOG_LEVEL,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    // Written asynchronously: a synchronous write per request line cost a tenth of a small API
    // request's CPU (docs/performance.md). pino flushes what is pending when the process exits, so
    // only a SIGKILL can lose the last lines.
    pino.destination({ dest: 1, sync: false }),
  );
  return globalForLogger.tallyLogger;
}
