import { badInput } from "@/lib/errors";

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying one would fail deep in a query as a 500.
 * The REST edges refuse it up front, naming the field (its place in `where`: path, query or body).
 */
export function refuseNulCharacters(value: unknown, where: string): void {
  const field = nulField(value, []);
  if (field) throw badInput(`${field.length ? field.join(".") : where}: must not contain the NUL character (\\u0000)`);
}

function nulField(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulField(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return [...path, key];
      const found = nulField(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
