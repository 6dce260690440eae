"use client";

import "@xyflow/react/dist/style.css";
import { Background, Controls, MarkerType, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type MiniMapNodeProps, type ReactFlowInstance } from "@xyflow/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { LineageGraph } from "@/server/services/lineage/types";
import { cn } from "../ui/cn";
import { ErrorMessage, Notice } from "../ui/error-message";
import { drawableEdges, edgeKey, edgeLabel, KIND_NAMES, mergeGraphs, nodeHref, sizeOf, type Layout, type Positions } from "./graph-model";
import { layoutLineage, warmLayoutEngine } from "./elk-layout";
import { GraphOverview, useOverviewZoom } from "./graph-overview";
import { EDGE_TYPES, type LineageFlowEdge } from "./lineage-edge";
import { ExpandContext, handlesOf, KIND_COLOURS, NODE_TYPES, type Expansion, type LineageFlowNode } from "./lineage-node";

export interface LineageGraphViewProps {
  slug: string;
  graph: LineageGraph;
  /** The graph's layout when the server already made it (small graphs); otherwise ELK runs here, in a worker. */
  layout: Layout | null;
  /** The neighbours of a node (one step, both directions), merged into the drawn graph. */
  loadNeighbours: (nodeId: string) => Promise<LineageGraph>;
}

interface Drawn {
  nodes: LineageFlowNode[];
  edges: LineageFlowEdge[];
  /** How long ELK took for this layout, and where it ran. */
  ms: number;
  layoutBy: "server" | "browser";
}

const FIT = { padding: 0.1, maxZoom: 1 } as const;
// Nodes are neither draggable nor selectable, so React Flow would let clicks through to the pane;
// their links and expand buttons need them.
const CLICKABLE = { pointerEvents: "all" } as const;
const minimapColour = (node: LineageFlowNode) => KIND_COLOURS[node.data.node.kind];
// The minimap is only an overview: plain rectangles, no rounded corners or strokes to paint.
const MinimapNode = ({ x, y, width, height, color }: MiniMapNodeProps) => <rect x={x} y={y} width={width} height={height} fill={color} />;

/**
 * The lineage graph, laid out by ELK (left to right) and drawn by React Flow: pan, zoom, a click on a
 * node opens its page, "+" on a node adds its neighbours and lays the graph out again.
 */
export function LineageGraphView(props: LineageGraphViewProps) {
  return (
    <ReactFlowProvider>
      <LineageCanvas {...props} />
    </ReactFlowProvider>
  );
}

function LineageCanvas({ slug, graph: initial, layout, loadNeighbours }: LineageGraphViewProps) {
  const [graph, setGraph] = useState(initial);
  const [drawn, setDrawn] = useState<Drawn | null>(() => layout && drawnGraph(slug, initial, { positions: new Map(Object.entries(layout.positions)), ms: layout.ms, by: "server" }, null));
  const [error, setError] = useState<unknown>(null);
  const [ready, setReady] = useState(false);
  // The node just expanded: the next layout keeps it in view rather than refitting the whole graph.
  const focus = useRef<string | null>(null);
  const flow = useReactFlow();
  const overview = useOverviewZoom();

  const setExpansion = useCallback((id: string, expansion: Expansion) => {
    setDrawn((before) => before && { ...before, nodes: before.nodes.map((node) => (node.id === id ? { ...node, data: { ...node.data, expansion } } : node)) });
  }, []);

  const expand = useCallback(
    (id: string) => {
      setExpansion(id, "loading");
      loadNeighbours(id).then(
        (neighbours) => {
          setExpansion(id, "done");
          focus.current = id;
          setGraph((before) => mergeGraphs(before, neighbours));
        },
        (failure: unknown) => {
          setError(failure);
          setExpansion(id, "idle");
        },
      );
    },
    [loadNeighbours, setExpansion],
  );

  // React Flow's own fitView prop waits for nodes to be measured, and these never are (their size and
  // handles are given): fit once the viewport exists.
  const fitOnInit = useCallback((instance: ReactFlowInstance<LineageFlowNode, LineageFlowEdge>) => {
    void instance.fitView(FIT).then(() => setReady(true));
  }, []);

  useEffect(() => {
    if (graph === initial && layout) return;
    let current = true;
    layoutLineage(graph).then(
      ({ positions, ms }) => {
        if (!current) return;
        setDrawn((before) => drawnGraph(slug, graph, { positions, ms, by: "browser" }, before));
        const centre = focus.current ? positions.get(focus.current) : undefined;
        const kind = graph.nodes.find((node) => node.id === focus.current)?.kind;
        focus.current = null;
        if (centre && kind) void flow.setCenter(centre.x + sizeOf(kind).width / 2, centre.y + sizeOf(kind).height / 2, { zoom: flow.getZoom(), duration: 200 });
      },
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [graph, initial, layout, slug, flow]);

  return (
    <div className="space-y-2">
      <ErrorMessage error={error} />
      {graph.truncated ? (
        <Notice tone="warning">The graph stops at the server&apos;s node limit before the chosen depth: lower the depth or expand nodes one at a time.</Notice>
      ) : null}
      <div
        // Cards out of view skip style, layout and paint. Zoomed out, the overview stands in for the
        // cards and edges (see GraphOverview); cards keep their box, so React Flow measures nothing again.
        className={cn(
          String.raw`relative h-[70vh] min-h-[28rem] rounded-md border border-gray-200 bg-gray-50 [&_.react-flow\_\_node]:[content-visibility:auto]`,
          overview && String.raw`[&_.react-flow\_\_edges]:hidden [&_.react-flow\_\_node]:[content-visibility:hidden]`,
        )}
        data-testid="lineage-graph"
        data-ready={ready || undefined}
        data-overview={overview || undefined}
        data-nodes={drawn?.nodes.length}
        data-edges={drawn?.edges.length}
        data-layout-ms={drawn ? Math.round(drawn.ms) : undefined}
        data-layout-by={drawn?.layoutBy}
        // Expanding needs ELK in the browser: start its worker when the pointer or focus comes near.
        onPointerEnter={warmLayoutEngine}
        onFocus={warmLayoutEngine}
      >
        {drawn ? (
          <ExpandContext value={expand}>
            <ReactFlow<LineageFlowNode, LineageFlowEdge>
              className={ready ? undefined : "invisible"}
              nodes={drawn.nodes}
              edges={drawn.edges}
              nodeTypes={NODE_TYPES}
              edgeTypes={EDGE_TYPES}
              onInit={fitOnInit}
              minZoom={0.05}
              maxZoom={2}
              // Measured (docs/lineage.md, "The graph view"): culling off-screen nodes mounts and unmounts
              // them while panning, and each of those restyles every sibling node; 500 nodes stay cheaper in the DOM.
              onlyRenderVisibleElements={false}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              zoomOnDoubleClick={false}
            >
              <GraphOverview nodes={drawn.nodes} edges={drawn.edges} visible={overview} />
              <Background gap={24} size={1} />
              <Controls showInteractive={false} fitViewOptions={FIT} />
              <MiniMap<LineageFlowNode> nodeColor={minimapColour} nodeComponent={MinimapNode} pannable zoomable ariaLabel="Lineage overview" />
            </ReactFlow>
          </ExpandContext>
        ) : error ? null : (
          <p className="flex h-full items-center justify-center text-sm text-gray-500">Laying out {graph.nodes.length.toLocaleString("en")} nodes…</p>
        )}
      </div>
    </div>
  );
}

/**
 * React Flow's nodes and edges for a laid-out graph. A node whose position did not change keeps its
 * object (and so its expansion state), so neither React Flow nor the memoised node components redo
 * any work for it when another node is expanded. Sizes and handles are given, so React Flow never
 * measures a node in the DOM.
 */
function drawnGraph(slug: string, graph: LineageGraph, layout: { positions: Positions; ms: number; by: Drawn["layoutBy"] }, before: Drawn | null): Drawn {
  const { positions } = layout;
  const old = new Map(before?.nodes.map((node) => [node.id, node]));
  const nodes = graph.nodes.map((node): LineageFlowNode => {
    const position = positions.get(node.id) ?? { x: 0, y: 0 };
    const kept = old.get(node.id);
    if (kept && kept.position.x === position.x && kept.position.y === position.y) return kept;
    return {
      id: node.id,
      type: node.kind,
      position,
      ...sizeOf(node.kind),
      measured: sizeOf(node.kind),
      handles: handlesOf(node.kind),
      style: CLICKABLE,
      ariaLabel: `${KIND_NAMES[node.kind]} ${node.label}`,
      data: { node, href: nodeHref(slug, node), root: node.id === graph.root, expansion: kept?.data.expansion ?? "idle" },
    };
  });
  const labels = new Map(graph.nodes.map((node) => [node.id, node.label]));
  const edges = drawableEdges(graph).map(
    (edge): LineageFlowEdge => ({
      id: edgeKey(edge),
      source: edge.from,
      target: edge.to,
      type: "lineage",
      className: `lineage-edge-${edge.kind}`,
      ariaLabel: `${labels.get(edge.from)} to ${labels.get(edge.to)}: ${edgeLabel(edge) || edge.kind}`,
      markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
      // Edges are not clicked: no invisible wide path to hit-test on every pointer move.
      interactionWidth: 0,
      focusable: false,
      data: { kind: edge.kind, label: edgeLabel(edge) },
    }),
  );
  return { nodes, edges, ms: layout.ms, layoutBy: layout.by };
}
