import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createProjectWithToken, mlflowCaller } from "../factories";

/**
 * Param and tag filters find their candidates through an index on (key, first 256 characters of the
 * value), because a whole value may be longer than an index entry can hold. What a user sees must not
 * depend on that: values longer than the prefix, or sharing all of it, still match exactly.
 */
const SHARED = "x".repeat(300);
const LONG = `${"0123456789".repeat(500)}!`;
const ACCENTED = "é".repeat(300);
const EMOJI = "😀".repeat(300);

/** Each run's name and its value of param `p` and tag `t` (the same value for both). */
const VALUES: Record<string, string> = {
  shared_a: `${SHARED}a`,
  shared_b: `${SHARED}b`,
  long: LONG,
  long_twin: `${LONG.slice(0, -1)}?`,
  exactly_256: "y".repeat(256),
  longer_by_one: "y".repeat(257),
  accented_1: `${ACCENTED}1`,
  accented_2: `${ACCENTED}2`,
  emoji_1: `${EMOJI}1`,
  emoji_2: `${EMOJI}2`,
  underscore: "x_1",
  letter: "xa1",
  percent: "50%",
  fifty: "500",
  short: "v3",
};

let search: (filter: string) => Promise<string[]>;

beforeAll(async () => {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const call = mlflowCaller(project.slug, plaintext);
  const created = await call("POST", "experiments/create", { name: `prefix-${randomBytes(4).toString("hex")}` });
  const experimentId = String(created.body.experiment_id);
  for (const [name, value] of Object.entries(VALUES)) {
    const run = await call("POST", "runs/create", { experiment_id: experimentId, run_name: name });
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    const logged = await call("POST", "runs/log-batch", { run_id: runId, params: [{ key: "p", value }], tags: [{ key: "t", value }] });
    expect(logged.status).toBe(200);
  }
  // A run without either key: only IS NULL finds it.
  await call("POST", "runs/create", { experiment_id: experimentId, run_name: "none" });
  search = async (filter) => {
    const found = await call("POST", "runs/search", { experiment_ids: [experimentId], filter, max_results: 1000 });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    return ((found.body.runs ?? []) as { info: { run_name: string } }[]).map((run) => run.info.run_name).sort();
  };
});

/** The filter `<field> <rest>` for both params.p and tags.t, with the names each must find. */
const both = (rest: string) => [`params.p ${rest}`, `tags.t ${rest}`];

describe("param and tag filters on values longer than the indexed prefix", () => {
  it.each([
    ["= (values alike in their first 300 characters)", `= '${SHARED}a'`, ["shared_a"]],
    ["= (5,001 characters)", `= '${LONG}'`, ["long"]],
    ["= (5,001 characters, the last one different)", `= '${LONG.slice(0, -1)}?'`, ["long_twin"]],
    ["= (exactly the prefix's length)", `= '${"y".repeat(256)}'`, ["exactly_256"]],
    ["= (one character longer than the prefix)", `= '${"y".repeat(257)}'`, ["longer_by_one"]],
    ["= (two-byte characters)", `= '${ACCENTED}2'`, ["accented_2"]],
    ["= (four-byte characters)", `= '${EMOJI}1'`, ["emoji_1"]],
    ["!=", `!= '${SHARED}a'`, Object.keys(VALUES).filter((name) => name !== "shared_a")],
    ["LIKE with a prefix longer than the indexed one", `LIKE '${SHARED}%'`, ["shared_a", "shared_b"]],
    ["LIKE with a long prefix and a different end", `LIKE '${SHARED}_'`, ["shared_a", "shared_b"]],
    ["LIKE that ends in a literal", `LIKE '${SHARED.slice(0, 10)}%b'`, ["shared_b"]],
    ["LIKE with an escaped underscore", "LIKE 'x\\_%'", ["underscore"]],
    ["LIKE with an unescaped underscore", "LIKE 'x_1'", ["letter", "underscore"]],
    ["LIKE with an escaped percent sign", "LIKE '50\\%'", ["percent"]],
    ["LIKE starting with a wildcard", "LIKE '%1'", ["accented_1", "emoji_1", "letter", "underscore"]],
    ["LIKE with four-byte characters", `LIKE '${EMOJI.slice(0, 20)}%2'`, ["emoji_2"]],
    ["ILIKE", `ILIKE '${SHARED.toUpperCase()}A'`, ["shared_a"]],
  ])("%s", async (_label, rest, expected) => {
    for (const filter of both(rest)) expect(await search(filter), filter).toEqual([...expected].sort());
  });

  it("combines prefixes under OR and with IS NULL", async () => {
    expect(await search(`params.p = '${SHARED}a' OR params.p = '${LONG}' OR params.p IS NULL`)).toEqual(["long", "none", "shared_a"]);
    expect(await search(`tags.t = '${SHARED}b' AND params.p LIKE '${SHARED}%'`)).toEqual(["shared_b"]);
  });
});
