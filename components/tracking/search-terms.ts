/** Building blocks of the search grammar as the runs table writes them. */

export type ColumnKind = "metrics" | "params" | "tags";

export interface ColumnChoice {
  metrics: string[];
  params: string[];
  tags: string[];
}

/** `metrics.loss`, or `metrics.\`val loss\`` when the key needs quoting. */
export function fieldName(kind: ColumnKind, key: string): string {
  return /^[A-Za-z_][\w]*$/.test(key) ? `${kind}.${key}` : `${kind}.\`${key.replaceAll("`", "\\`")}\``;
}

export interface SortState {
  /** `attributes.start_time`, `metrics.acc`, … */
  field: string;
  descending: boolean;
}

export const orderByOf = (sort: SortState | null) => (sort ? [`${sort.field} ${sort.descending ? "DESC" : "ASC"}`] : []);

export function sortFromOrderBy(orderBy: string[]): SortState | null {
  const first = orderBy[0];
  if (!first) return null;
  const match = /^(.*?)\s+(ASC|DESC)$/i.exec(first.trim());
  return match ? { field: match[1]!, descending: match[2]!.toUpperCase() === "DESC" } : { field: first.trim(), descending: false };
}

export const ATTRIBUTE_FIELDS = [
  "attributes.run_name",
  "attributes.status",
  "attributes.user_id",
  "attributes.start_time",
  "attributes.end_time",
  "attributes.run_id",
];

/** Completions for the word being typed at the end of a filter. */
export function completionsFor(filter: string, keys: ColumnChoice | undefined): string[] {
  const word = /[\w.`]*$/.exec(filter)?.[0] ?? "";
  if (!word || !keys) return [];
  const all = [
    ...ATTRIBUTE_FIELDS,
    ...keys.metrics.map((key) => fieldName("metrics", key)),
    ...keys.params.map((key) => fieldName("params", key)),
    ...keys.tags.map((key) => fieldName("tags", key)),
  ];
  const lower = word.toLowerCase();
  return all.filter((field) => field.toLowerCase().startsWith(lower) && field !== word).slice(0, 8);
}
