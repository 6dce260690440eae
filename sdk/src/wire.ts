/** MLflow wire encoding: doubles that JSON cannot carry travel as strings both ways. */

export type WireDouble = number | "NaN" | "Infinity" | "-Infinity";

export function encodeDouble(value: number): WireDouble {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  return value;
}

export function decodeDouble(value: unknown): number {
  if (typeof value === "number") return value;
  if (value === null || value === undefined) return 0;
  if (value === "NaN") return NaN;
  if (value === "Infinity" || value === "+Infinity" || value === "inf") return Infinity;
  if (value === "-Infinity" || value === "-inf") return -Infinity;
  return Number(value);
}

/** int64 fields may arrive as strings. */
export function decodeInt(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value !== "") return Number(value);
  return 0;
}

export interface WireMetric {
  key: string;
  value: WireDouble;
  timestamp: number;
  step: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface LogBatchBody {
  run_id: string;
  metrics: WireMetric[];
  params: KeyValue[];
  tags: KeyValue[];
}
