import type { Field, FieldType, SearchEntity } from "./ast";

/** How a field's values compare: this decides its operators and what its values must look like. */
export interface ValueRules {
  /** `integer` is a number that must be whole: the epoch-millisecond timestamps. */
  kind: "number" | "integer" | "string";
  /** IN and NOT IN with a list of quoted strings. */
  lists: boolean;
  /** IS NULL and IS NOT NULL, which test whether the key is present at all. */
  nullChecks: boolean;
}

interface AttributeRules extends ValueRules {
  filter: boolean;
  order: boolean;
}

interface Vocabulary {
  filterTypes: readonly FieldType[];
  orderTypes: readonly FieldType[];
  /** Keyed by the lower-case canonical key; attribute keys are matched case-insensitively. */
  attributes: Readonly<Record<string, AttributeRules>>;
  /** MLflow's alternative spellings (lower-case) and the canonical key each stands for. */
  aliases: Readonly<Record<string, string>>;
}

const TEXT: AttributeRules = { kind: "string", lists: false, nullChecks: false, filter: true, order: true };
const TIME: AttributeRules = { kind: "integer", lists: false, nullChecks: false, filter: true, order: true };

/** The MLflow grammar (docs/mlflow-compat.md, "Search"), per entity. */
export const VOCABULARIES: Readonly<Record<SearchEntity, Vocabulary>> = {
  run: {
    filterTypes: ["attribute", "metric", "param", "tag", "dataset"],
    orderTypes: ["attribute", "metric", "param", "tag"],
    attributes: {
      run_id: { ...TEXT, lists: true },
      run_name: TEXT,
      user_id: TEXT,
      status: TEXT,
      artifact_uri: TEXT,
      start_time: TIME,
      end_time: TIME,
    },
    aliases: { created: "start_time", "run name": "run_name" },
  },
  experiment: {
    filterTypes: ["attribute", "tag"],
    orderTypes: ["attribute"],
    attributes: {
      name: TEXT,
      creation_time: TIME,
      last_update_time: TIME,
      // The MLflow experiment_id is sortable but not filterable.
      experiment_id: { ...TIME, filter: false },
    },
    aliases: {},
  },
  // MLflow 3 logged models: a model's metrics are the points logged with its model_id.
  logged_model: {
    filterTypes: ["attribute", "metric", "param", "tag"],
    orderTypes: ["attribute", "metric"],
    attributes: {
      name: TEXT,
      model_id: { ...TEXT, lists: true },
      model_type: TEXT,
      status: TEXT,
      source_run_id: TEXT,
      creation_timestamp: TIME,
      last_updated_timestamp: TIME,
    },
    aliases: { creation_time: "creation_timestamp", last_updated_time: "last_updated_timestamp" },
  },
  registered_model: {
    filterTypes: ["attribute", "tag"],
    orderTypes: ["attribute"],
    attributes: { name: TEXT, creation_timestamp: TIME, last_updated_timestamp: TIME },
    aliases: { timestamp: "creation_timestamp" },
  },
  model_version: {
    filterTypes: ["attribute", "tag"],
    orderTypes: ["attribute"],
    attributes: {
      name: TEXT,
      run_id: { ...TEXT, lists: true },
      source_path: TEXT,
      version_number: TIME,
      creation_timestamp: TIME,
      last_updated_timestamp: TIME,
    },
    aliases: { timestamp: "creation_timestamp" },
  },
};

/** Every spelling of a type prefix (`metrics.`, `parameter.`, `attr.` ...), matched case-insensitively. */
export const TYPE_PREFIXES: Readonly<Record<string, FieldType>> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};

export const DATASET_KEYS: readonly string[] = ["name", "digest", "context"];

const KEYED_RULES: Readonly<Record<Exclude<FieldType, "attribute">, ValueRules>> = {
  metric: { kind: "number", lists: false, nullChecks: false },
  param: { kind: "string", lists: false, nullChecks: true },
  tag: { kind: "string", lists: false, nullChecks: true },
  dataset: { kind: "string", lists: true, nullChecks: false },
};

export function attributeRules(entity: SearchEntity, key: string): AttributeRules | undefined {
  const { attributes } = VOCABULARIES[entity];
  return Object.hasOwn(attributes, key) ? attributes[key] : undefined;
}

/** The rules of a field the parser has already resolved, so the field is known to exist. */
export function rulesFor(entity: SearchEntity, field: Field): ValueRules {
  if (field.type !== "attribute") return KEYED_RULES[field.type];
  const rules = attributeRules(entity, field.key);
  if (!rules) throw new Error(`unresolved ${entity} attribute '${field.key}'`);
  return rules;
}

const NUMBER_OPERATORS = ["=", "!=", "<", "<=", ">", ">="];

export function operatorsFor(rules: ValueRules): string[] {
  if (rules.kind !== "string") return NUMBER_OPERATORS;
  return [
    "=",
    "!=",
    "LIKE",
    "ILIKE",
    ...(rules.lists ? ["IN", "NOT IN"] : []),
    ...(rules.nullChecks ? ["IS NULL", "IS NOT NULL"] : []),
  ];
}

/** How messages name a field's kind: "metrics", "params", "dataset.name", "attribute 'start_time'". */
export function fieldLabel(field: Field): string {
  switch (field.type) {
    case "attribute":
      return `attribute '${field.key}'`;
    case "dataset":
      return `dataset.${field.key}`;
    default:
      return `${field.type}s`;
  }
}
