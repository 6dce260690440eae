import { db } from "@/server/db/client";

/** Deepest walk the API allows. */
export const MAX_DEPTH = 20;

/**
 * Rows a walk may produce before it stops. The walk enumerates paths, so in a graph with many ways to
 * reach a node the rows outnumber the nodes; the cap bounds the work, breadth first.
 */
export const WALK_ROW_CAP = 100_000;

export interface Reached {
  key: string;
  depth: number;
  /** The node before this one on a shortest path from a start node; null for a start node. */
  via: string | null;
}

export interface Walk {
  reached: Map<string, Reached>;
  truncated: boolean;
}

/**
 * Follows edges from the start keys, downstream (src → dst) or upstream (dst → src), up to `depth`
 * steps. A node already on the current path is not entered again, so cycles end (an OpenLineage job
 * that reads its own output, say). The recursive CTE produces rows level by level, so the row cap
 * keeps the nearest levels whole.
 */
export async function walk(projectId: string, startKeys: string[], direction: "upstream" | "downstream", depth: number): Promise<Walk> {
  const rows = await db().$queryRawUnsafe<{ node: string; depth: number; via: string | null; walked: bigint }[]>(
    direction === "downstream" ? WALK_DOWNSTREAM : WALK_UPSTREAM,
    projectId,
    startKeys,
    depth,
    WALK_ROW_CAP + 1,
  );
  const reached = new Map<string, Reached>();
  for (const row of rows) reached.set(row.node, { key: row.node, depth: row.depth, via: row.via });
  return { reached, truncated: rows.length > 0 && Number(rows[0]!.walked) > WALK_ROW_CAP };
}

/**
 * Stored keys from a start node to `key`, both included: a shortest path. Each node keeps the one
 * before it on a shortest path, and that node's own entry is a shortest one too (the walk is breadth
 * first, so a nearer entry for it would make `key` nearer), so following `via` never wanders off.
 * Shipping only `via` rather than whole paths spares parsing tens of thousands of arrays.
 */
export function pathTo(reached: Map<string, Reached>, key: string): string[] {
  const path: string[] = [];
  for (let at: string | null | undefined = key; at; at = reached.get(at)?.via) path.push(at);
  return path.reverse();
}

/** Nearest first, then by key (a plain code-unit order: keys are ids, not words). */
export function nearestFirst(a: Reached, b: Reached): number {
  return a.depth - b.depth || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** $1 project, $2 start keys, $3 depth bound, $4 row cap. `from`/`next` are the edge's two ends. */
function walkSql(from: string, next: string): string {
  return `
    WITH RECURSIVE walk(node, depth, path) AS (
      SELECT start, 0, ARRAY[start] FROM unnest($2::text[]) AS start
      UNION ALL
      SELECT e.${next}, w.depth + 1, w.path || e.${next}
      FROM walk w
      JOIN "LineageEdge" e ON e.${from} = w.node
      WHERE w.depth < $3 AND e."projectId" = $1 AND e.${next} <> ALL(w.path)
    )
    SELECT DISTINCT ON (node) node, depth, path[cardinality(path) - 1] AS via, count(*) OVER () AS walked
    FROM (SELECT * FROM walk LIMIT $4) capped
    ORDER BY node, depth`;
}

const WALK_DOWNSTREAM = walkSql("src", "dst");
const WALK_UPSTREAM = walkSql("dst", "src");
