/**
 * Facets accumulate over a run's events: a later event adds or replaces facets by name, and a facet
 * sent with `_deleted: true` removes it (the spec's way to retract one).
 */
export interface FacetChange {
  /** JSON of the facets to add or replace. */
  set: string;
  /** Names of the facets to remove. */
  remove: string[];
}

export function facetChange(facets: Record<string, unknown> | undefined): FacetChange {
  const entries = Object.entries(facets ?? {});
  const deleted = (value: unknown) => (value as { _deleted?: unknown } | null)?._deleted === true;
  return {
    set: JSON.stringify(Object.fromEntries(entries.filter(([, value]) => !deleted(value)))),
    remove: entries.filter(([, value]) => deleted(value)).map(([key]) => key),
  };
}
