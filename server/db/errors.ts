import { timedOut, unavailable } from "@/lib/errors";
import { config } from "../config";

interface ErrorFields {
  code?: unknown;
  originalCode?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

/**
 * The error and what it wraps: node-postgres errors come bare, Prisma's carry the driver's error in
 * `meta.driverAdapterError` and that one its details in `cause`.
 */
function* layers(error: unknown): Generator<ErrorFields> {
  const pending = [error];
  for (let seen = 0; pending.length && seen < 8; seen++) {
    const current = pending.shift();
    if (!current || typeof current !== "object") continue;
    const fields = current as ErrorFields;
    yield fields;
    pending.push(fields.cause, fields.meta?.driverAdapterError);
  }
}

/** PostgreSQL's "canceling statement due to statement timeout" (SQLSTATE 57014), however wrapped. */
function isStatementTimeout(error: unknown): boolean {
  for (const layer of layers(error)) {
    if (layer.code === "57014" || layer.originalCode === "57014") return true;
    if (typeof layer.message === "string" && layer.message.includes("statement timeout")) return true;
  }
  return false;
}

/**
 * Codes that mean "no database right now" rather than "this request was wrong": the socket was refused
 * or cut (node), the server is shutting down, starting or recovering (57P01-57P03), the connection
 * failed (class 08), all connection slots are taken (53300), or Prisma could not reach it (P1001,
 * P1017).
 */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "53300",
  "P1001",
  "P1017",
]);
const CONNECTION_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** node-postgres reports a socket closed under a query with no code at all. */
const CONNECTION_MESSAGES = /Connection terminated|Client has encountered a connection error|Can't reach database server|Server has closed the connection/;

function isConnectionFailure(error: unknown): boolean {
  for (const layer of layers(error)) {
    if (CONNECTION_CODES.has(String(layer.code)) || CONNECTION_CODES.has(String(layer.originalCode))) return true;
    if (CONNECTION_KINDS.has(String(layer.kind))) return true;
    if (typeof layer.message === "string" && CONNECTION_MESSAGES.test(layer.message)) return true;
  }
  return false;
}

/** A database failure that callers should hear about in their own words (an AppError), or null. */
export function databaseErrorAsAppError(error: unknown) {
  if (isStatementTimeout(error)) {
    return timedOut(
      `The database stopped this request after ${config().TALLY_STATEMENT_TIMEOUT_MS} ms (TALLY_STATEMENT_TIMEOUT_MS). ` +
        "Narrow the query (a filter, fewer results) or try again when the server is less busy.",
    );
  }
  if (isConnectionFailure(error)) {
    return unavailable("Tally's database is unavailable right now (restarting or unreachable). Try again in a few seconds.");
  }
  return null;
}

/** A raw-pool statement that failed on a unique key of `table`: it wrote nothing. */
export function isUniqueViolationOn(error: unknown, table: string): boolean {
  return error instanceof Error && "code" in error && error.code === "23505" && "table" in error && error.table === table;
}
