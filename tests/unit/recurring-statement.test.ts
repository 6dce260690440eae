import { beforeEach, describe, expect, it, vi } from "vitest";
import type * as Prepared from "@/server/db/prepared";

/** Statements a request builds (searches) are prepared only once they recur, and only so many per process. */
describe("recurringStatement", () => {
  // Each test starts with a process that has prepared nothing yet.
  let prepared: typeof Prepared;
  beforeEach(async () => {
    vi.resetModules();
    prepared = await import("@/server/db/prepared");
  });

  it("runs a text as plain text twice, then as a prepared statement of its own", () => {
    const { recurringStatement, preparedStatement } = prepared;
    const text = "SELECT 'recurring' WHERE $1::int > 0";
    expect(recurringStatement(text)).toBe(text);
    expect(recurringStatement(text)).toBe(text);
    const statement = recurringStatement(text);
    expect(statement).toEqual({ name: expect.stringMatching(/^tally_[0-9a-f]{24}$/), text });
    expect(recurringStatement(text)).toBe(statement);
    expect(preparedStatement(text)).toBe(statement);
  });

  it("prepares no more texts than its bound, and keeps those it prepared", () => {
    const { recurringStatement, MAX_RECURRING_STATEMENTS } = prepared;
    const texts = Array.from({ length: MAX_RECURRING_STATEMENTS + 3 }, (_, index) => `SELECT ${index} AS "bounded"`);
    const outcomes = texts.map((text) => [recurringStatement(text), recurringStatement(text), recurringStatement(text)][2]);
    expect(outcomes.filter((outcome) => typeof outcome !== "string")).toHaveLength(MAX_RECURRING_STATEMENTS);
    expect(outcomes.slice(MAX_RECURRING_STATEMENTS)).toEqual(texts.slice(MAX_RECURRING_STATEMENTS));
    expect(recurringStatement(texts[0]!)).toBe(outcomes[0]);
  });

  it("hands back the statement the code prepared itself for the same text", () => {
    const { recurringStatement, preparedStatement } = prepared;
    const statement = preparedStatement(`SELECT 1 AS "fixed"`);
    expect(recurringStatement(statement.text)).toBe(statement);
  });
});
