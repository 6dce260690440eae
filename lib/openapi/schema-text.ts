/**
 * A JSON Schema of an OpenAPI document as short, TypeScript-like text, for the API reference page:
 * `{ name: string (≤1000); version: integer (≥1); tags?: { key: string; value: string }[] }`.
 * Named components stay names (`PromotionRequest`); the page lists them once.
 */
type Schema = { [key: string]: unknown };

const INDENT = "  ";

export function schemaText(schema: Schema, indent = ""): string {
  if (typeof schema.$ref === "string") return schema.$ref.split("/").pop()!;
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (variants) return variants.map((variant) => schemaText(variant, indent)).join(" | ");
  if (Array.isArray(schema.allOf)) return (schema.allOf as Schema[]).map((part) => schemaText(part, indent)).join(" & ");
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const types = [schema.type ?? "any"].flat() as string[];
  return types.map((type) => typeText(type, schema, indent)).join(" | ");
}

function typeText(type: string, schema: Schema, indent: string): string {
  if (type === "array") return `${wrapped(schemaText((schema.items as Schema | undefined) ?? {}, indent))}[]${limits(schema, "maxItems", "minItems", " items")}`;
  if (type === "object") return objectText(schema, indent);
  if (type === "string") return `string${limits(schema, "maxLength", "minLength", "")}${schema.format ? ` (${String(schema.format)})` : ""}`;
  if (type === "integer" || type === "number") return `${type}${range(schema)}`;
  return type;
}

function objectText(schema: Schema, indent: string): string {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const names = Object.keys(properties);
  if (names.length === 0) return schema.additionalProperties === false ? "{}" : "object";
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const inner = indent + INDENT;
  const lines = names.map((name) => {
    const property = properties[name]!;
    const fallback = property.default !== undefined ? ` = ${JSON.stringify(property.default)}` : "";
    return `${inner}${name}${required.has(name) ? "" : "?"}: ${schemaText(property, inner)}${fallback}`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

const wrapped = (text: string) => (text.includes(" | ") || text.includes(" & ") ? `(${text})` : text);

function limits(schema: Schema, maxKey: string, minKey: string, unit: string): string {
  const max = schema[maxKey] as number | undefined;
  const min = schema[minKey] as number | undefined;
  if (max !== undefined && min !== undefined && min > 0) return ` (${min}–${max}${unit})`;
  if (max !== undefined) return ` (≤${max}${unit})`;
  if (min !== undefined && min > 0) return ` (≥${min}${unit})`;
  return "";
}

const SAFE_INTEGER = 9007199254740991;

function range(schema: Schema): string {
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  const shown = (value: number | undefined) => (value !== undefined && Math.abs(value) < SAFE_INTEGER ? value : undefined);
  const [low, high] = [shown(min), shown(max)];
  if (low !== undefined && high !== undefined) return ` (${low}–${high})`;
  if (low !== undefined) return ` (≥${low})`;
  if (high !== undefined) return ` (≤${high})`;
  return "";
}
