import type { Condition } from "./ast";

/** A condition on a value's indexed prefix, and whether it says as much as the condition it stands for. */
export interface PrefixTest {
  sql: string;
  /** True: the prefix test alone decides the condition. False: the exact test must stay beside it. */
  exact: boolean;
}

/**
 * Params and tags are indexed by (key, first `length` characters of the value), compared bytewise
 * (prisma/sql/search-indexes.sql): a value may be longer than a btree entry can hold. This is the
 * condition on that prefix which every value passing `condition` passes too, written so the planner
 * can match it to the index. For a value shorter than the prefix, or a LIKE pattern that is such a
 * prefix and `%`, it is the whole condition; otherwise the exact test must stay beside it. (Writing
 * both when one suffices would also mislead the planner, which takes them for independent and
 * multiplies their selectivities.) Undefined when the condition cannot narrow the prefix: !=, ILIKE,
 * or a LIKE pattern that starts with a wildcard.
 */
export function prefixTest(
  condition: Exclude<Condition, { kind: "isNull" }>,
  column: string,
  length: number,
  bindText: (value: string) => string,
): PrefixTest | undefined {
  const prefix = `left(${column}, ${length}) COLLATE "C"`;
  switch (condition.kind) {
    case "text":
      if (condition.op === "=") {
        // Characters as PostgreSQL counts them: code points.
        const exact = Array.from(condition.value).length < length;
        return { sql: `${prefix} = ${exact ? bindText(condition.value) : `left(${bindText(condition.value)}, ${length})`}`, exact };
      }
      if (condition.op === "LIKE") {
        const { literal, rest } = likeLiteralPrefix(condition.value, length);
        if (literal === "") return undefined;
        return { sql: `${prefix} LIKE ${bindText(`${escapeLike(literal)}%`)}`, exact: /^%+$/.test(rest) };
      }
      return undefined;
    case "in":
    case "number":
      // Neither reaches a param or tag: MLflow's filters allow no lists and no numbers on them.
      return undefined;
  }
}

/**
 * The characters every match of a LIKE pattern starts with (PostgreSQL's LIKE, backslash escapes),
 * at most `length` of them (counted in code points, as PostgreSQL counts characters), and the rest of
 * the pattern after them.
 */
function likeLiteralPrefix(pattern: string, length: number): { literal: string; rest: string } {
  const literal: string[] = [];
  const characters = Array.from(pattern);
  let index = 0;
  for (; index < characters.length && literal.length < length; index++) {
    const character = characters[index]!;
    if (character === "%" || character === "_") break;
    if (character === "\\") {
      if (index + 1 === characters.length) break;
      index++;
      literal.push(characters[index]!);
    } else {
      literal.push(character);
    }
  }
  return { literal: literal.join(""), rest: characters.slice(index).join("") };
}

const escapeLike = (literal: string) => literal.replace(/[\\%_]/g, (character) => `\\${character}`);
