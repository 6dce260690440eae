/**
 * The parsed form of an MLflow search filter and order_by list. The parser only produces trees that are
 * valid for their entity (known keys, allowed operators, values of the right type), so the compilers
 * never re-validate.
 */

export type SearchEntity = "run" | "experiment" | "logged_model" | "registered_model" | "model_version";

export type FieldType = "attribute" | "metric" | "param" | "tag" | "dataset";

/**
 * What a filter or sort refers to. Attribute keys are canonical (`created` is stored as `start_time`,
 * `run name` as `run_name`); dataset keys are `name`, `digest` or `context`; other keys are the user's
 * metric, param or tag key, exactly as written.
 */
export interface Field {
  type: FieldType;
  key: string;
}

export type NumberOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type TextOperator = "=" | "!=" | "LIKE" | "ILIKE";

export type Condition =
  /** Metrics and numeric attributes (integers for timestamps). */
  | { kind: "number"; field: Field; op: NumberOperator; value: number }
  | { kind: "text"; field: Field; op: TextOperator; value: string }
  /** IN (negated: false) and NOT IN (negated: true). */
  | { kind: "in"; field: Field; negated: boolean; values: string[] }
  /** IS NULL (negated: false) and IS NOT NULL (negated: true): whether a param or tag is absent. */
  | { kind: "isNull"; field: Field; negated: boolean };

/** AND and OR are n-ary and flattened: `a AND (b AND c)` is one AND of three conditions. */
export type FilterExpr = Condition | { kind: "and" | "or"; operands: FilterExpr[] };

export interface OrderKey {
  field: Field;
  ascending: boolean;
}
