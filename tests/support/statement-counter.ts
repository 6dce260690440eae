import pg from "pg";

/**
 * Counts the statements this process sends to PostgreSQL. Both pools (Prisma's adapter and the raw
 * hot-path pool) end in `pg.Client#query`, so wrapping the prototype sees every round trip, BEGIN
 * and COMMIT included, whichever module copy opened the connection.
 */
export interface StatementLog {
  /** The statements sent since `start`, in order (first line of each). */
  statements: string[];
}

type Query = (...args: unknown[]) => unknown;
const clientPrototype = pg.Client.prototype as unknown as { query: Query };

let active: StatementLog | null = null;
let original: Query | null = null;

function statementText(first: unknown): string {
  const text = typeof first === "string" ? first : ((first as { text?: unknown } | null)?.text ?? "");
  return String(text).trim().split("\n")[0]!.slice(0, 160);
}

function install(): void {
  if (original) return;
  original = clientPrototype.query;
  const wrapped = original;
  clientPrototype.query = function (this: unknown, ...args: unknown[]) {
    active?.statements.push(statementText(args[0]));
    return wrapped.apply(this, args);
  };
}

/** The statements sent while `work` runs (nothing else may use the database meanwhile). */
export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  install();
  const log: StatementLog = { statements: [] };
  active = log;
  try {
    const result = await work();
    return { result, statements: log.statements };
  } finally {
    active = null;
  }
}
