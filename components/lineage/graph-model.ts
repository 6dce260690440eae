import type { ElkNode } from "elkjs/lib/elk-api";
import type { LineageEdge, LineageEdgeKind, LineageGraph, LineageNode, LineageNodeKind } from "@/server/services/lineage/types";

/**
 * The lineage graph as the graph view draws it: sizes, names and labels per kind, the ELK input and
 * how an expanded node's neighbours join the graph. Pure, so the layout input is testable without a
 * browser.
 */

/** Aliases and stages are small pills hanging off the version that holds them; everything else is a card. */
export const isHolder = (kind: LineageNodeKind) => kind === "alias" || kind === "stage";

export const CARD = { width: 232, height: 64 } as const;
export const PILL = { width: 132, height: 28 } as const;
export const sizeOf = (kind: LineageNodeKind) => (isHolder(kind) ? PILL : CARD);

export const KIND_NAMES: Record<LineageNodeKind, string> = {
  dataset: "Dataset",
  run: "Run",
  model: "Logged model",
  version: "Model version",
  job: "Job",
  alias: "Alias",
  stage: "Stage",
};

const EDGE_NAMES: Record<LineageEdgeKind, string> = {
  input: "input",
  output: "output",
  parent: "child run",
  produced: "logged model",
  registered: "registered",
  base_model: "base model",
  openlineage: "OpenLineage",
  holds: "holds",
};

/** The text on an edge: an input's context (train, eval...) or what the edge means; holds edges need none. */
export function edgeLabel(edge: Pick<LineageEdge, "kind" | "context">): string {
  if (edge.kind === "holds") return "";
  if (edge.kind === "input" && edge.context) return edge.context;
  return EDGE_NAMES[edge.kind];
}

/** One edge per ordered pair of nodes, as the store keeps them. */
export const edgeKey = (edge: Pick<LineageEdge, "from" | "to">) => `${edge.from}->${edge.to}`;

/** A dataset version's digest, from its id `dataset:<name>@<digest>` (names may contain "@"; digests do not). */
export function datasetDigest(id: string): string | null {
  if (!id.startsWith("dataset:")) return null;
  const at = id.lastIndexOf("@");
  return at < 0 ? null : id.slice(at + 1);
}

/**
 * `extra` (an expanded node's neighbours) added to `graph`: nodes and edges already drawn keep their
 * data, so the root and the depths stay those of the first query.
 */
export function mergeGraphs(graph: LineageGraph, extra: Pick<LineageGraph, "nodes" | "edges">): LineageGraph {
  const known = new Set(graph.nodes.map((node) => node.id));
  const nodes = [...graph.nodes, ...extra.nodes.filter((node) => !known.has(node.id) && known.add(node.id))];
  const drawn = new Set(graph.edges.map(edgeKey));
  const edges = [...graph.edges, ...extra.edges.filter((edge) => !drawn.has(edgeKey(edge)) && drawn.add(edgeKey(edge)))];
  return { ...graph, nodes, edges };
}

/** Edges whose two ends are both in the graph (a capped walk may return an edge to a node it left out). */
export function drawableEdges(graph: Pick<LineageGraph, "nodes" | "edges">): LineageEdge[] {
  const ids = new Set(graph.nodes.map((node) => node.id));
  return graph.edges.filter((edge) => ids.has(edge.from) && ids.has(edge.to));
}

/**
 * ELK's "layered" algorithm left to right. React Flow draws the edges itself, so ELK's routing only
 * decides the room between layers: polyline routing needs less than orthogonal. Past a few hundred
 * nodes crossing minimisation is most of the time, so it makes one pass (thoroughness 1, default 7);
 * keeping the input's order (considerModelOrder) is left off: it made a 500-node fan take 10 s
 * instead of 0.2 s (docs/lineage.md, "The graph view").
 */
export const LAYOUT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "POLYLINE",
  "elk.layered.spacing.nodeNodeBetweenLayers": "72",
  "elk.spacing.nodeNode": "20",
  "elk.layered.thoroughness": "1",
};

/** The input of ELK for a graph: every node with its drawn size, every drawable edge. */
export function elkGraphOf(graph: Pick<LineageGraph, "nodes" | "edges">): ElkNode {
  return {
    id: "lineage",
    layoutOptions: LAYOUT_OPTIONS,
    children: graph.nodes.map((node) => ({ id: node.id, ...sizeOf(node.kind) })),
    edges: drawableEdges(graph).map((edge) => ({ id: edgeKey(edge), sources: [edge.from], targets: [edge.to] })),
  };
}

export type Positions = Map<string, { x: number; y: number }>;

/** A finished layout as the server hands it to the page: top-left corners by node id, and ELK's time. */
export interface Layout {
  positions: Record<string, { x: number; y: number }>;
  ms: number;
}

/** The top-left corner ELK gave each node. */
export function positionsOf(laidOut: ElkNode): Positions {
  return new Map((laidOut.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
}

/** The page of a node, or null when it has none. */
export const nodeHref = (slug: string, node: Pick<LineageNode, "path">) => (node.path === null ? null : `/projects/${slug}${node.path}`);
