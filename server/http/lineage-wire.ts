import type { ImpactItem, ImpactResult, LineageGraph, LineageNode } from "@/server/services/lineage";

/** Tally's REST API speaks snake_case (docs/lineage.md shows the answers). */
function nodeWire(node: LineageNode) {
  return { id: node.id, kind: node.kind, label: node.label, detail: node.detail, path: node.path, depth: node.depth };
}

export function lineageGraphWire(graph: LineageGraph) {
  return {
    root: graph.root,
    direction: graph.direction,
    depth: graph.depth,
    nodes: graph.nodes.map(nodeWire),
    edges: graph.edges.map((edge) => ({ from: edge.from, to: edge.to, kind: edge.kind, context: edge.context })),
    truncated: graph.truncated,
  };
}

function itemWire(item: ImpactItem) {
  return { node: nodeWire(item.node), path: item.path, holders: item.holders.map((holder) => ({ kind: holder.kind, name: holder.name })) };
}

export function lineageImpactWire(result: ImpactResult) {
  return {
    sources: result.sources.map(nodeWire),
    runs: result.runs.map(itemWire),
    logged_models: result.loggedModels.map(itemWire),
    model_versions: result.modelVersions.map(itemWire),
    other: result.other.map(itemWire),
    holding: result.holding,
    truncated: result.truncated,
  };
}
