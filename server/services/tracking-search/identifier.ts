import type { Field, FieldType, SearchEntity } from "./ast";
import { describe, isKeyword, type Cursor } from "./cursor";
import type { Token } from "./tokenizer";
import { attributeRules, DATASET_KEYS, TYPE_PREFIXES, VOCABULARIES } from "./vocabulary";

export type Purpose = "filter" | "order";

/**
 * Reads one identifier: `type.key`, `type."quoted key"` (or backticks), a bare attribute, a quoted
 * bare attribute, or MLflow's two-word alias `run name`. Type prefixes and attribute keys are
 * case-insensitive; metric, param and tag keys are the user's and kept exactly.
 */
export function readField(cursor: Cursor, entity: SearchEntity, purpose: Purpose): Field {
  const first = cursor.next();
  if (first.kind === "string" && first.quote !== "'") return attribute(cursor, first, first.value, entity, purpose);
  if (first.kind !== "word") {
    throw cursor.fail(first, `expected a key such as metrics.accuracy, params.lr or start_time, found ${describe(first)}`);
  }

  const dot = first.source.indexOf(".");
  if (dot < 0) {
    if (first.source.toLowerCase() === "run" && isKeyword(cursor.peek(), "NAME")) {
      cursor.next();
      return attribute(cursor, first, "run name", entity, purpose);
    }
    return attribute(cursor, first, first.source, entity, purpose);
  }

  const prefix = first.source.slice(0, dot);
  const type = typeOf(cursor, first, prefix, entity, purpose);
  const key = first.source.slice(dot + 1) || quotedKey(cursor, first);
  if (type === "attribute") return attribute(cursor, first, key, entity, purpose);
  if (type === "dataset") {
    const datasetKey = key.toLowerCase();
    if (!DATASET_KEYS.includes(datasetKey)) {
      throw cursor.fail(first, `invalid dataset key '${key}'. Valid keys: ${DATASET_KEYS.join(", ")}`);
    }
    return { type, key: datasetKey };
  }
  return { type, key };
}

function typeOf(cursor: Cursor, token: Token, prefix: string, entity: SearchEntity, purpose: Purpose): FieldType {
  const allowed = purpose === "filter" ? VOCABULARIES[entity].filterTypes : VOCABULARIES[entity].orderTypes;
  const type = Object.hasOwn(TYPE_PREFIXES, prefix.toLowerCase()) ? TYPE_PREFIXES[prefix.toLowerCase()] : undefined;
  if (type && allowed.includes(type)) return type;
  const where = purpose === "filter" ? `${entity} filters` : `${entity} order_by`;
  const valid = `Valid types in ${where}: ${allowed.map((name) => `${name}s`).join(", ")}`;
  throw cursor.fail(
    token,
    type ? `${type}s cannot be used in ${where}. ${valid}` : `invalid entity type '${prefix}'. ${valid}`,
  );
}

/** `params."my key"`: the key is the quoted text written right after the dot. */
function quotedKey(cursor: Cursor, prefix: Token): string {
  const quoted = cursor.peek();
  if (quoted.kind !== "string" || quoted.start !== prefix.end) {
    throw cursor.fail(quoted, `expected a key right after '${prefix.source}', found ${describe(quoted)}`);
  }
  cursor.next();
  if (quoted.value === "") throw cursor.fail(quoted, `the key after '${prefix.source}' is empty`);
  return quoted.value;
}

function attribute(cursor: Cursor, token: Token, key: string, entity: SearchEntity, purpose: Purpose): Field {
  const { aliases, attributes } = VOCABULARIES[entity];
  const lower = key.toLowerCase();
  const canonical = Object.hasOwn(aliases, lower) ? aliases[lower]! : lower;
  const rules = attributeRules(entity, canonical);
  if (rules && (purpose === "filter" ? rules.filter : rules.order)) return { type: "attribute", key: canonical };

  const valid = Object.entries(attributes)
    .filter(([, candidate]) => (purpose === "filter" ? candidate.filter : candidate.order))
    .map(([name]) => name);
  const aliasList = Object.keys(aliases);
  const also = aliasList.length ? ` (also ${aliasList.join(", ")})` : "";
  throw cursor.fail(token, `invalid attribute key '${key}'. Valid keys: ${valid.join(", ")}${also}`);
}
