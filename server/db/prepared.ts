import { createHash } from "node:crypto";

/**
 * A statement that each pooled connection parses and plans once, then only binds and runs. On the
 * small hot requests (a single metric point, a run read) parsing and planning were about a quarter
 * of PostgreSQL's CPU per request (docs/performance.md, "Prepared statements").
 *
 * Only for statements whose text is one of a fixed few: every distinct text stays prepared on every
 * pooled connection for the connection's life. Searches, whose text depends on the filter, stay
 * unprepared; so do statements whose best plan depends on the values.
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

/** What node-postgres takes to run it: a fresh object per call, since the driver writes into it. */
export function preparedQuery(statement: string | PreparedStatement, values: readonly unknown[]) {
  return typeof statement === "string"
    ? { text: statement, values: values as unknown[] }
    : { name: statement.name, text: statement.text, values: values as unknown[] };
}
