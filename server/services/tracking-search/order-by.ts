import { badInput } from "@/lib/errors";
import type { OrderKey, SearchEntity } from "./ast";
import { Cursor, describe } from "./cursor";
import { readField } from "./identifier";

/**
 * Parses MLflow order_by entries, each `"<key> [ASC|DESC]"` (ascending by default) with keys written
 * as in filters. A key may appear once; `created` and `start_time` count as the same key.
 */
export function parseOrderBy(entries: readonly string[], entity: SearchEntity): OrderKey[] {
  const keys: OrderKey[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const key = parseEntry(entry, entity);
    const id = `${key.field.type}.${key.field.key}`;
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      throw badInput(`Invalid order_by: '${entry}' sorts by the same key as '${earlier}'; each key may appear once`);
    }
    seen.set(id, entry);
    keys.push(key);
  }
  return keys;
}

function parseEntry(entry: string, entity: SearchEntity): OrderKey {
  const cursor = new Cursor(entry, (position, message) =>
    badInput(`Invalid order_by '${entry}' at position ${position + 1}: ${message}`),
  );
  const start = cursor.peek();
  const field = readField(cursor, entity, "order");
  const fieldText = cursor.since(start);
  let ascending = true;
  if (cursor.takeKeyword("DESC")) ascending = false;
  else cursor.takeKeyword("ASC");
  const rest = cursor.peek();
  if (rest.kind !== "end") {
    throw cursor.fail(rest, `expected ASC, DESC or nothing after '${fieldText}', found ${describe(rest)}`);
  }
  return { field, ascending };
}
