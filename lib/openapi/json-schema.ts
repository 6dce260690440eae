import { z } from "zod";

export type JsonSchema = { [key: string]: unknown };

/**
 * Turns zod schemas into the JSON Schema (2020-12) of an OpenAPI 3.1 document. Requests are described
 * as the edge accepts them (`io: "input"`: before defaults and transforms), answers as they are sent.
 * Schemas given an id (`.meta({ id })`) become named components, shared by every place that uses them.
 */
export class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  request(schema: z.ZodType): JsonSchema {
    return this.convert(schema, "input");
  }

  answer(schema: z.ZodType): JsonSchema {
    return this.convert(schema, "output");
  }

  private convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const { $schema: _dialect, $defs, ...converted } = z.toJSONSchema(schema, { io, target: "draft-2020-12" }) as JsonSchema;
    for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      const component = componentRefs(definition) as JsonSchema;
      const known = this.components[id];
      if (known && JSON.stringify(known) !== JSON.stringify(component)) {
        throw new Error(`Two different schemas are named ${id} in one OpenAPI document`);
      }
      this.components[id] = component;
    }
    return componentRefs(converted) as JsonSchema;
  }
}

/** `#/$defs/X` (zod's place for named schemas) → `#/components/schemas/X` (OpenAPI's). */
function componentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(componentRefs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === "$ref" && typeof inner === "string" ? inner.replace(/^#\/\$defs\//, "#/components/schemas/") : componentRefs(inner),
    ]),
  );
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
  style?: "form";
  explode?: boolean;
}

/**
 * One parameter per property of an object schema. A query field that also accepts a list (as the
 * MLflow client sends repeated fields: `?order_by=a&order_by=b`) is described as the list.
 */
export function parametersOf(collector: SchemaCollector, schema: z.ZodType, location: ParameterObject["in"]): ParameterObject[] {
  const object = collector.request(schema);
  const properties = object.properties as Record<string, JsonSchema> | undefined;
  if (object.type !== "object" || !properties) throw new Error(`${location} parameters must be described by an object schema`);
  const required = new Set((object.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const list = location === "query" ? listVariant(property) : undefined;
    const { description, ...rest } = list ?? property;
    return {
      name,
      in: location,
      required: location === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
      ...(list ? { style: "form" as const, explode: true } : {}),
    };
  });
}

function listVariant(property: JsonSchema): JsonSchema | undefined {
  if (property.type === "array") return property;
  const variants = property.anyOf as JsonSchema[] | undefined;
  const list = variants?.find((variant) => variant.type === "array");
  if (!list) return undefined;
  const { anyOf: _variants, ...annotations } = property;
  return { ...annotations, ...list };
}

/** Whether a request body must be sent: its schema has a field that is required. */
export function hasRequiredFields(schema: z.ZodType): boolean {
  const converted = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  const required = converted.required as string[] | undefined;
  const parts = (converted.allOf as JsonSchema[] | undefined) ?? [];
  return (required?.length ?? 0) > 0 || parts.some((part) => ((part.required as string[] | undefined)?.length ?? 0) > 0);
}
