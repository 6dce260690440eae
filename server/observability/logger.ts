import { pino, type Logger } from "pino";
import { config } from "../config";
import { currentRequestId } from "./request-context";

/** About ten request lines. */
const LOG_BLOCK_BYTES = 2048;
/**
 * The most one write holds, of whole lines: PIPE_BUF on Linux, so that a block written to a pipe the
 * other web processes write to as well is never split by theirs.
 */
const LOG_WRITE_MAX_BYTES = 4096;
const LOG_FLUSH_MS = 500;

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
    // Written asynchronously and in blocks: a write per request line cost a tenth of a small API
    // request's CPU when synchronous, and still a fifteenth when each line was its own asynchronous
    // write (docs/performance.md, "The request log"). A block goes out once it holds LOG_BLOCK_BYTES,
    // otherwise within LOG_FLUSH_MS; pino flushes what is pending when the process exits, so only a
    // SIGKILL can lose the last lines.
    pino.destination({ dest: 1, sync: false, minLength: LOG_BLOCK_BYTES, maxWrite: LOG_WRITE_MAX_BYTES, periodicFlush: LOG_FLUSH_MS }),
  );
  return globalForLogger.tallyLogger;
}
