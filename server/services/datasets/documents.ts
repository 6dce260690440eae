import type { DatasetColumn, DatasetDocument } from "./types";

/** MLflow stores a dataset's schema and profile as JSON strings, but any client may send any text. */
export function parseDocument(raw: string | null): DatasetDocument {
  if (raw === null || raw === "") return null;
  try {
    return { kind: "json", value: JSON.parse(raw) as unknown };
  } catch {
    return { kind: "text", text: raw };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function columnType(spec: Record<string, unknown>): string {
  if (typeof spec.type === "string" && spec.type !== "array" && spec.type !== "object" && spec.type !== "map") return spec.type;
  // Nested types (array, object, map) carry their element types beside `type`: the whole spec is the type.
  return JSON.stringify(Object.fromEntries(Object.entries(spec).filter(([key]) => key !== "name" && key !== "required")));
}

/** The columns of an `mlflow_colspec` schema; null for tensor schemas, non-JSON text or anything else. */
export function colspecColumns(schema: DatasetDocument): DatasetColumn[] | null {
  if (schema?.kind !== "json" || !isRecord(schema.value)) return null;
  const specs = schema.value.mlflow_colspec;
  if (!Array.isArray(specs)) return null;
  return specs.filter(isRecord).map((spec, index) => ({
    // MLflow allows unnamed columns; they are known by position.
    name: typeof spec.name === "string" ? spec.name : `#${index}`,
    type: columnType(spec),
    required: spec.required !== false,
  }));
}

/**
 * Where a version's data is. MLflow clients send a dataset's source as its DatasetSource JSON
 * (`{"uri": "s3://..."}`, `{"url": ...}`, `{"path": ...}`); anything else is taken as it is.
 */
export function sourceLocation(source: string): string {
  const parsed = parseDocument(source);
  if (parsed?.kind !== "json" || !isRecord(parsed.value)) return source;
  const location = ["uri", "url", "path"].map((key) => (parsed.value as Record<string, unknown>)[key]).find((value) => typeof value === "string");
  return typeof location === "string" ? location : source;
}
