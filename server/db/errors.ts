import { timedOut } from "@/lib/errors";
import { config } from "../config";

/** PostgreSQL's "canceling statement due to statement timeout" (SQLSTATE 57014), however wrapped. */
function isStatementTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    const candidate = current as { code?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown };
    if (candidate.code === "57014" || candidate.originalCode === "57014") return true;
    if (typeof candidate.message === "string" && candidate.message.includes("statement timeout")) return true;
    current = candidate.cause;
  }
  return false;
}

/** A database failure that callers should hear about in their own words (an AppError), or null. */
export function databaseErrorAsAppError(error: unknown) {
  if (!isStatementTimeout(error)) return null;
  return timedOut(
    `The database stopped this request after ${config().TALLY_STATEMENT_TIMEOUT_MS} ms (TALLY_STATEMENT_TIMEOUT_MS). ` +
      "Narrow the query (a filter, fewer results) or try again when the server is less busy.",
  );
}
