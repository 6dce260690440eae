"use client";

import { getBezierPath, Panel, Position, useStoreApi, ViewportPortal } from "@xyflow/react";
import { memo, useEffect, useState } from "react";
import { isHolder } from "./graph-model";
import { edgeStroke, type LineageFlowEdge } from "./lineage-edge";
import { KIND_COLOURS, type LineageFlowNode } from "./lineage-node";

// Below this zoom the cards' text is a few pixels high: the graph is drawn as its overview instead.
// Zooming back in switches to the cards only past a higher zoom, so a gesture that hovers around one
// zoom does not switch back and forth (each switch repaints every card once).
const OVERVIEW_BELOW = 0.4;
const CARDS_ABOVE = 0.5;

/**
 * Whether the graph is zoomed out far enough to be drawn as its overview. Only a switch re-renders:
 * React drops a state update that keeps the value, so pan and zoom frames cost no React work here.
 */
export function useOverviewZoom(): boolean {
  const store = useStoreApi<LineageFlowNode, LineageFlowEdge>();
  const [overview, setOverview] = useState(() => store.getState().transform[2] < OVERVIEW_BELOW);
  useEffect(
    () =>
      store.subscribe(({ transform: [, , zoom] }) => {
        setOverview((before) => (before ? zoom < CARDS_ABOVE : zoom < OVERVIEW_BELOW));
      }),
    [store],
  );
  return overview;
}

/**
 * The zoomed-out graph: one SVG of coloured boxes and plain curves in the viewport's coordinates.
 * With hundreds of cards on screen, painting their text, borders and shadows on every pan and zoom
 * frame took longer than a frame (docs/lineage.md, "The graph view"); this draws in a fraction of it.
 */
export const GraphOverview = memo(function GraphOverview({ nodes, edges, visible }: { nodes: LineageFlowNode[]; edges: LineageFlowEdge[]; visible: boolean }) {
  return (
    <>
      <ViewportPortal>
        <svg className="pointer-events-none absolute left-0 top-0 overflow-visible" width={1} height={1} aria-hidden data-testid="lineage-overview" style={{ visibility: visible ? "visible" : "hidden" }}>
          <OverviewShapes nodes={nodes} edges={edges} />
        </svg>
      </ViewportPortal>
      {visible ? (
        <Panel position="top-left" className="rounded bg-white/90 px-2 py-1 text-xs text-gray-600 ring-1 ring-gray-200" role="status">
          Zoomed out to an overview: zoom in to read and open the nodes.
        </Panel>
      ) : null}
    </>
  );
});

/** The shapes alone, so switching between overview and cards does not rebuild them. */
const OverviewShapes = memo(function OverviewShapes({ nodes, edges }: { nodes: LineageFlowNode[]; edges: LineageFlowEdge[] }) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  return (
    <>
      {edges.map((edge) => {
        const source = byId.get(edge.source);
        const target = byId.get(edge.target);
        if (!source || !target) return null;
        const from = attachment(source, "source");
        const to = attachment(target, "target");
        const [path] = getBezierPath({ sourceX: from.x, sourceY: from.y, sourcePosition: Position.Right, targetX: to.x, targetY: to.y, targetPosition: Position.Left });
        return <path key={edge.id} d={path} fill="none" stroke={edgeStroke(edge.data?.kind)} strokeWidth={2} />;
      })}
      {nodes.map((node) => (
        <rect
          key={node.id}
          x={node.position.x}
          y={node.position.y}
          width={node.width}
          height={node.height}
          rx={isHolder(node.data.node.kind) ? 14 : 6}
          fill={KIND_COLOURS[node.data.node.kind]}
          fillOpacity={0.15}
          stroke={node.data.root ? "#111827" : KIND_COLOURS[node.data.node.kind]}
          strokeWidth={node.data.root ? 8 : 4}
        />
      ))}
    </>
  );
});

/** Where React Flow attaches a node's edges: the middle of its handle of that type (handlesOf). */
function attachment(node: LineageFlowNode, type: "source" | "target") {
  const handle = node.handles?.find((candidate) => candidate.type === type);
  if (!handle) return node.position;
  return { x: node.position.x + handle.x + (handle.width ?? 0) / 2, y: node.position.y + handle.y + (handle.height ?? 0) / 2 };
}
