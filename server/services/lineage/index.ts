export { lineageGraph, GRAPH_NODE_CAP } from "./graph";
export { lineageImpact } from "./impact";
export { MAX_DEPTH } from "./traverse";
export type {
  ImpactItem,
  ImpactResult,
  ImpactSource,
  LineageDirection,
  LineageEdge,
  LineageEdgeKind,
  LineageGraph,
  LineageHolder,
  LineageNode,
  LineageNodeKind,
} from "./types";
export { impactSourceOf } from "./impact-source";
