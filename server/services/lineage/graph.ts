import { badInput } from "@/lib/errors";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { hydrate, type NodeFacts } from "./hydrate";
import { parseNodeId, resolveNode } from "./node-ids";
import { MAX_DEPTH, nearestFirst, walk, type Reached } from "./traverse";
import type { LineageDirection, LineageEdge, LineageEdgeKind, LineageGraph, LineageNode } from "./types";

/**
 * Most nodes a graph answer carries, nearest first: a page cannot draw more usefully, and impact
 * queries (impact.ts) answer the complete list instead.
 */
export const GRAPH_NODE_CAP = 1_000;

export function assertDepth(depth: number): void {
  if (!Number.isInteger(depth) || depth < 0 || depth > MAX_DEPTH) {
    throw badInput(`depth: must be a whole number from 0 to ${MAX_DEPTH}`);
  }
}

/** Edges among the given stored keys (hash-joined: the key lists can be thousands long). */
async function edgesAmong(projectId: string, keys: string[]) {
  return db().$queryRaw<{ src: string; dst: string; kind: LineageEdgeKind; context: string | null }[]>`
    WITH keys AS (SELECT unnest(${keys}::text[]) AS key)
    SELECT e."src", e."dst", e."kind", e."context"
    FROM "LineageEdge" e
    JOIN keys s ON s.key = e."src"
    JOIN keys d ON d.key = e."dst"
    WHERE e."projectId" = ${projectId}`;
}

/** The nodes up- and/or downstream of one node, within `depth` steps, with the edges among them. */
export async function lineageGraph(
  access: ProjectAccess,
  input: { node: string; direction: LineageDirection; depth: number },
): Promise<LineageGraph> {
  assertScope(access, "project:read");
  assertDepth(input.depth);
  const projectId = access.project.id;
  const ref = parseNodeId(input.node);
  const startKeys = await resolveNode(projectId, ref, input.node);

  const directions = input.direction === "both" ? (["upstream", "downstream"] as const) : [input.direction];
  const walks = await Promise.all(directions.map((direction) => walk(projectId, startKeys, direction, input.depth)));
  const reached = new Map<string, Reached>();
  for (const found of walks.flatMap((entry) => [...entry.reached.values()])) {
    const known = reached.get(found.key);
    if (!known || found.depth < known.depth) reached.set(found.key, found);
  }
  const nearest = [...reached.values()].sort(nearestFirst);
  const kept = nearest.slice(0, GRAPH_NODE_CAP);
  const { nodes: facts, holders } = await hydrate(projectId, kept.map((entry) => entry.key));

  const nodes: LineageNode[] = [];
  const publicId = new Map<string, string>();
  const place = (key: string, node: NodeFacts, depth: number) => {
    publicId.set(key, node.id);
    nodes.push({ ...node, depth });
  };
  for (const entry of kept) {
    const node = facts.get(entry.key);
    if (node) place(entry.key, node, entry.depth);
  }

  const edges: LineageEdge[] = [];
  for (const edge of await edgesAmong(projectId, [...publicId.keys()])) {
    const from = publicId.get(edge.src);
    const to = publicId.get(edge.dst);
    if (from && to) edges.push({ from, to, kind: edge.kind, context: edge.context });
  }
  // The registry's current pointers hang off the versions that hold them (not stored as edges: the
  // registry is their authority, and its ledger their history).
  for (const entry of kept) {
    const versionId = publicId.get(entry.key);
    for (const { node } of holders.get(entry.key) ?? []) {
      if (!versionId) continue;
      place(`holder:${node.id}`, node, entry.depth + 1);
      edges.push({ from: versionId, to: node.id, kind: "holds", context: null });
    }
  }

  const root =
    ref.kind === "alias" || ref.kind === "stage" ? input.node : (publicId.get(startKeys[0]!) ?? input.node);
  return {
    root,
    direction: input.direction,
    depth: input.depth,
    nodes,
    edges,
    truncated: walks.some((entry) => entry.truncated) || nearest.length > kept.length,
  };
}
