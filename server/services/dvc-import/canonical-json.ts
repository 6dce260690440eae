/**
 * JSON with every mapping's keys sorted, so two texts of the same lock entry (keys reordered,
 * re-indented, quoted differently) give the same string and so the same job run.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "object" && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
