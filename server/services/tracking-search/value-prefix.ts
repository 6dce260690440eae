import type { Condition } from "./ast";

/**
 * Params and tags are indexed by (key, first characters of the value), compared bytewise
 * (prisma/sql/search-indexes.sql): a value may be longer than a btree entry can hold. This is the
 * condition on that prefix which every value passing `condition` passes too, written so the planner
 * can match it to the index; the exact test stays beside it. Undefined when the condition cannot
 * narrow the prefix: !=, ILIKE, or a LIKE pattern that starts with a wildcard.
 */
export function prefixTest(
  condition: Exclude<Condition, { kind: "isNull" }>,
  column: string,
  length: number,
  bindText: (value: string) => string,
): string | undefined {
  const prefix = `left(${column}, ${length}) COLLATE "C"`;
  switch (condition.kind) {
    case "text":
      if (condition.op === "=") return `${prefix} = left(${bindText(condition.value)}, ${length})`;
      if (condition.op === "LIKE") {
        const literal = likeLiteralPrefix(condition.value, length);
        return literal === "" ? undefined : `${prefix} LIKE ${bindText(`${escapeLike(literal)}%`)}`;
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
 * at most `length` of them. Counted in code points, as PostgreSQL counts characters.
 */
function likeLiteralPrefix(pattern: string, length: number): string {
  const literal: string[] = [];
  const characters = Array.from(pattern);
  for (let index = 0; index < characters.length && literal.length < length; index++) {
    const character = characters[index]!;
    if (character === "%" || character === "_") break;
    if (character === "\\") {
      index++;
      if (index === characters.length) break;
      literal.push(characters[index]!);
    } else {
      literal.push(character);
    }
  }
  return literal.join("");
}

const escapeLike = (literal: string) => literal.replace(/[\\%_]/g, (character) => `\\${character}`);
