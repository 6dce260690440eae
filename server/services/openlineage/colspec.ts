import type { SchemaField } from "@/lib/schemas/openlineage";

/** One column or property in MLflow's schema JSON (`ColSpec.to_dict()`, `Object.to_dict()`). */
type MlflowType = string | { type: "object"; properties: Record<string, MlflowProperty> };
type MlflowProperty = { type: string; required: boolean } | { type: "object"; properties: Record<string, MlflowProperty>; required: boolean };

/**
 * OpenLineage field types are the source system's own words (VARCHAR(20), int64, timestamp_ntz...);
 * the common ones become MLflow's type names so schema diffs compare like with like. Others are kept
 * as sent.
 */
const MLFLOW_TYPES: [RegExp, string][] = [
  [/^(bool|boolean)$/, "boolean"],
  [/^(tinyint|smallint|int|integer|int2|int4|int16|int32|short|byte)$/, "integer"],
  [/^(bigint|long|int8|int64)$/, "long"],
  [/^(float|float4|float32|real)$/, "float"],
  [/^(double|double precision|float8|float64|decimal|numeric|number)$/, "double"],
  [/^(string|str|text|char|character|varchar|character varying|nvarchar|nchar|uuid)$/, "string"],
  [/^(binary|bytes|bytea|blob|varbinary)$/, "binary"],
  [/^(date|datetime|datetime64|time|timestamp|timestamptz|timestamp_ntz|timestamp_ltz|timestamp with time zone|timestamp without time zone)$/, "datetime"],
];

function mlflowTypeName(type: string | undefined): string {
  // MLflow's "any": OpenLineage lets a producer leave the type out.
  if (!type) return "any";
  // Parameters and precision say nothing MLflow keeps: varchar(20), decimal(10,2), datetime64[ns].
  const base = type.trim().toLowerCase().replace(/\s*[([].*$/, "");
  return MLFLOW_TYPES.find(([pattern]) => pattern.test(base))?.[1] ?? type;
}

function mlflowType(field: SchemaField): MlflowType {
  if (!field.fields?.length) return mlflowTypeName(field.type);
  return { type: "object", properties: Object.fromEntries(field.fields.map((child) => [child.name, property(child)])) };
}

function property(field: SchemaField): MlflowProperty {
  const type = mlflowType(field);
  return typeof type === "string" ? { type, required: false } : { ...type, required: false };
}

/**
 * A schema facet's fields as the `mlflow_colspec` JSON the datasets pages read. Nested fields become
 * MLflow object types. OpenLineage says nothing of nullability, so no column is marked required.
 */
export function colspecSchema(fields: SchemaField[]): string {
  const position = (field: SchemaField) => field.ordinal_position ?? Number.MAX_SAFE_INTEGER;
  const ordered = [...fields].sort((a, b) => position(a) - position(b));
  return JSON.stringify({ mlflow_colspec: ordered.map((field) => ({ name: field.name, ...property(field) })) });
}
