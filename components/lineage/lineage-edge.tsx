"use client";

import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { LineageEdgeKind } from "@/server/services/lineage/types";

export interface LineageEdgeData extends Record<string, unknown> {
  kind: LineageEdgeKind;
  label: string;
}

export type LineageFlowEdge = Edge<LineageEdgeData, "lineage">;

const STROKES: Partial<Record<LineageEdgeKind, string>> = {
  input: "#10b981",
  output: "#0ea5e9",
  holds: "#d946ef",
};
export const edgeStroke = (kind: LineageEdgeKind | undefined) => (kind && STROKES[kind]) ?? "#9ca3af";

/**
 * A curve with its label as SVG text with a white halo: unlike React Flow's default labels it needs no
 * measuring of the text in the DOM, so hundreds of edges cost no layout work when they scroll into view.
 */
export const LineageEdgeView = memo(function LineageEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd }: EdgeProps<LineageFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={{ stroke: edgeStroke(data?.kind), strokeWidth: 1.25, strokeDasharray: data?.kind === "holds" ? "4 3" : undefined }} />
      {data?.label ? (
        <text x={labelX} y={labelY} dy="0.35em" textAnchor="middle" className="fill-gray-600 text-[10px]" stroke="white" strokeWidth={3} paintOrder="stroke" data-edge-label>
          {data.label}
        </text>
      ) : null}
    </>
  );
});

export const EDGE_TYPES = { lineage: LineageEdgeView } as const;
