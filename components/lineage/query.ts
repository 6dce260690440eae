import type { LineageDirection } from "@/server/services/lineage/types";

/**
 * Which part of the graph a lineage tab shows, from its URL (`?direction=…&depth=…`). The tabs offer
 * depths 1 to 10; a value that is not one of those (edited by hand) falls back to the tab's default.
 */
export const DIRECTIONS: readonly LineageDirection[] = ["upstream", "downstream", "both"];
export const UI_MAX_DEPTH = 10;

/** Upstream is usually a short chain worth seeing whole; downstream and both fan out quickly. */
export const defaultDepth = (direction: LineageDirection) => (direction === "upstream" ? UI_MAX_DEPTH : 3);

export interface LineageQuery {
  direction: LineageDirection;
  depth: number;
}

type SearchParams = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function lineageQueryOf(search: SearchParams, fallback: LineageDirection): LineageQuery {
  const asked = one(search.direction);
  const direction = DIRECTIONS.find((candidate) => candidate === asked) ?? fallback;
  const depth = Number(one(search.depth));
  return { direction, depth: Number.isInteger(depth) && depth >= 1 && depth <= UI_MAX_DEPTH ? depth : defaultDepth(direction) };
}
