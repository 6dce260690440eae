import { createHash } from "node:crypto";

/**
 * A statement that each pooled connection parses and plans once, then only binds and runs. On the
 * small hot requests (a single metric point, a run read) parsing and planning were about a quarter
 * of PostgreSQL's CPU per request (docs/performance.md, "Prepared statements").
 *
 * Only for statements whose text is one of a fixed few: every distinct text stays prepared on every
 * pooled connection for the connection's life. Statements whose text a request builds go through
 * `recurringStatement` instead.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const byText = new Map<string, PreparedStatement>();

/** The statement for `text`; the same text always gets the same name, in every process. */
export function preparedStatement(text: string): PreparedStatement {
  let statement = byText.get(text);
  if (!statement) {
    statement = { name: `tally_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`, text };
    byText.set(text, statement);
  }
  return statement;
}

/** Texts a process prepares at most through `recurringStatement`. */
export const MAX_RECURRING_STATEMENTS = 16;
/** How many times a text must come before it is prepared. */
const RECURRING_AFTER = 3;
/** Texts counted at most; the counts start over when there are more, and end with the last text prepared. */
const MAX_COUNTED = 1_000;
const uses = new Map<string, number>();
let recurring = 0;

/**
 * A statement whose text a request builds, as searches do (the text follows the filter's shape, the
 * values are bound): prepared once the same text has come a few times, for the first
 * MAX_RECURRING_STATEMENTS texts of the process to do so; the others run as plain text, parsed and
 * planned each time. Planning a search took a quarter of PostgreSQL's time for it, and each prepared
 * text holds memory on every pooled connection that runs it, for the connection's life, hence the
 * bound (docs/performance.md, "Recurring searches are prepared"). PostgreSQL still plans a prepared
 * statement for its values until a plan for any values looks as cheap, so a search whose best plan
 * depends on them keeps getting it.
 */
export function recurringStatement(text: string): string | PreparedStatement {
  const known = byText.get(text);
  if (known) return known;
  if (recurring >= MAX_RECURRING_STATEMENTS) return text;
  const count = (uses.get(text) ?? 0) + 1;
  if (count < RECURRING_AFTER) {
    if (uses.size >= MAX_COUNTED) uses.clear();
    uses.set(text, count);
    return text;
  }
  uses.delete(text);
  // Once the last text is prepared, no count matters any more.
  if (++recurring === MAX_RECURRING_STATEMENTS) uses.clear();
  return preparedStatement(text);
}

/** What node-postgres takes to run it: a fresh object per call, since the driver writes into it. */
export function preparedQuery(statement: string | PreparedStatement, values: readonly unknown[]) {
  return typeof statement === "string"
    ? { text: statement, values: values as unknown[] }
    : { name: statement.name, text: statement.text, values: values as unknown[] };
}
