import { parse as parseYaml } from "yaml";

/**
 * The `MLmodel` file MLflow writes beside a logged model's files: its flavors, its signature (column
 * or tensor specs, stored as JSON strings inside the YAML) and where its input example is.
 */

export interface SignatureField {
  /** Column name; tensors and unnamed columns have none. */
  name: string | null;
  /** `double`, `string`, `tensor<int64>`, `array<double>`, `object`… */
  type: string;
  required: boolean;
  /** A tensor's shape (-1 for any size). */
  shape: number[] | null;
}

export interface SignatureParam {
  name: string;
  type: string;
  default: unknown;
  shape: number[] | null;
}

export interface MlmodelFlavor {
  name: string;
  /** The flavor's scalar settings as text (nested settings as JSON), by key. */
  properties: { key: string; value: string }[];
}

export interface ParsedMlmodel {
  flavors: MlmodelFlavor[];
  signature: { inputs: SignatureField[]; outputs: SignatureField[]; params: SignatureParam[] } | null;
  /** The input example's file (relative to the model's folder), its type (`dataframe`, `ndarray`, `json_object`) and pandas orient. */
  inputExample: { path: string; type: string | null; pandasOrient: string | null } | null;
  mlflowVersion: string | null;
  createdAt: string | null;
  modelUuid: string | null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const textOf = (value: unknown): string | null => (typeof value === "string" ? value : typeof value === "number" ? String(value) : null);

/** A spec list as MLflow stores it: a JSON string (older files may hold the list itself). */
function specList(value: unknown): Json[] {
  if (value === null || value === undefined) return [];
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error("The signature holds a spec that is not JSON");
    }
  }
  return Array.isArray(parsed) ? (parsed as Json[]) : [];
}

function typeName(spec: Record<string, unknown>): string {
  const type = textOf(spec.type) ?? "unknown";
  if (type === "tensor" && isRecord(spec["tensor-spec"])) return `tensor<${textOf(spec["tensor-spec"].dtype) ?? "unknown"}>`;
  if (type === "array" && isRecord(spec.items)) return `array<${typeName(spec.items)}>`;
  if (type === "map" && isRecord(spec.values)) return `map<string, ${typeName(spec.values)}>`;
  return type;
}

function shapeOf(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((dim) => typeof dim === "number") ? (value as number[]) : null;
}

function fieldOf(spec: Json): SignatureField {
  if (!isRecord(spec)) return { name: null, type: "unknown", required: true, shape: null };
  const tensor = isRecord(spec["tensor-spec"]) ? spec["tensor-spec"] : null;
  return {
    name: textOf(spec.name),
    type: typeName(spec),
    required: spec.required !== false,
    shape: tensor ? shapeOf(tensor.shape) : null,
  };
}

function paramOf(spec: Json): SignatureParam | null {
  if (!isRecord(spec) || typeof spec.name !== "string") return null;
  return { name: spec.name, type: textOf(spec.type) ?? "unknown", default: spec.default ?? null, shape: shapeOf(spec.shape) };
}

/** Parses an MLmodel file; throws on text that is not YAML or not a mapping. */
export function parseMlmodel(text: string): ParsedMlmodel {
  const document: unknown = parseYaml(text);
  if (!isRecord(document)) throw new Error("An MLmodel file holds a YAML mapping");
  const flavors = isRecord(document.flavors)
    ? Object.entries(document.flavors).map(([name, settings]) => ({
        name,
        properties: isRecord(settings)
          ? Object.entries(settings).map(([key, value]) => ({ key, value: typeof value === "string" ? value : JSON.stringify(value ?? null) }))
          : [],
      }))
    : [];
  const signature = isRecord(document.signature)
    ? {
        inputs: specList(document.signature.inputs).map(fieldOf),
        outputs: specList(document.signature.outputs).map(fieldOf),
        params: specList(document.signature.params).flatMap((spec) => paramOf(spec) ?? []),
      }
    : null;
  const example = isRecord(document.saved_input_example_info) ? document.saved_input_example_info : null;
  const examplePath = example ? textOf(example.artifact_path) : null;
  return {
    flavors,
    signature,
    inputExample: example && examplePath ? { path: examplePath, type: textOf(example.type), pandasOrient: textOf(example.pandas_orient) } : null,
    mlflowVersion: textOf(document.mlflow_version),
    createdAt: textOf(document.utc_time_created),
    modelUuid: textOf(document.model_uuid),
  };
}
