/** A one-line, human summary of an audit event's before/after JSON. */
export function auditChangeSummary(before: unknown, after: unknown): string {
  const b = asRecord(before);
  const a = asRecord(after);
  if (b && a) {
    const changed = Object.keys({ ...b, ...a }).filter((key) => JSON.stringify(b[key]) !== JSON.stringify(a[key]));
    if (changed.length === 0) return "no change";
    return changed.map((key) => `${key}: ${show(b[key])} → ${show(a[key])}`).join("; ");
  }
  if (a) return `+ ${pairs(a)}`;
  if (b) return `− ${pairs(b)}`;
  return "";
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function pairs(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter(([key]) => key !== "id" && key !== "userId" && key !== "projectId")
    .map(([key, value]) => `${key}=${show(value)}`)
    .join(", ");
}

function show(value: unknown): string {
  if (value === undefined) return "∅";
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (typeof value === "object") return JSON.stringify(value);
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
