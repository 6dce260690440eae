"use client";

import { Handle, Position, type Node, type NodeHandle, type NodeProps } from "@xyflow/react";
import Link from "next/link";
import { createContext, memo, use } from "react";
import type { LineageNode, LineageNodeKind } from "@/server/services/lineage/types";
import { cn } from "../ui/cn";
import { CARD, isHolder, KIND_NAMES, PILL } from "./graph-model";

export type Expansion = "idle" | "loading" | "done";

export interface LineageNodeData extends Record<string, unknown> {
  node: LineageNode;
  href: string | null;
  root: boolean;
  expansion: Expansion;
}

/** Adds a node's neighbours to the graph; one function for all nodes, so node data stays plain. */
export const ExpandContext = createContext<(id: string) => void>(() => undefined);

export type LineageFlowNode = Node<LineageNodeData, LineageNodeKind>;

const CARD_TONES: Record<Exclude<LineageNodeKind, "alias" | "stage">, { badge: string; edge: string }> = {
  dataset: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", edge: "border-l-emerald-500" },
  run: { badge: "bg-indigo-50 text-indigo-700 ring-indigo-600/20", edge: "border-l-indigo-500" },
  model: { badge: "bg-violet-50 text-violet-700 ring-violet-600/20", edge: "border-l-violet-500" },
  version: { badge: "bg-amber-50 text-amber-800 ring-amber-600/20", edge: "border-l-amber-500" },
  job: { badge: "bg-sky-50 text-sky-700 ring-sky-600/20", edge: "border-l-sky-500" },
};

/** The badge on a card: short, so the name keeps the room. */
const BADGES: Record<keyof typeof CARD_TONES, string> = { dataset: "Dataset", run: "Run", model: "Model", version: "Version", job: "Job" };

const STAGE_TONES: Record<string, string> = {
  Production: "bg-green-50 text-green-700 ring-green-600/30",
  Staging: "bg-amber-50 text-amber-800 ring-amber-600/30",
};

/** The minimap's colour of each kind (the badges' hues). */
export const KIND_COLOURS: Record<LineageNodeKind, string> = {
  dataset: "#10b981",
  run: "#6366f1",
  model: "#8b5cf6",
  version: "#f59e0b",
  job: "#0ea5e9",
  alias: "#d946ef",
  stage: "#22c55e",
};

/**
 * Where edges attach: the middle of the left side (in) and of the right side (out). React Flow
 * measures the drawn handles once per node; given with the node as well, they let it draw the edges
 * before that (on the server-rendered page, say). Nobody draws new edges, so the handles are invisible.
 */
const HANDLE = "!h-1 !min-h-0 !w-1 !min-w-0 !border-0 !bg-transparent";
function sideHandles(size: { width: number; height: number }): NodeHandle[] {
  const y = size.height / 2 - 2;
  return [
    { type: "target", position: Position.Left, x: -2, y, width: 4, height: 4 },
    { type: "source", position: Position.Right, x: size.width - 2, y, width: 4, height: 4 },
  ];
}
const CARD_HANDLES = sideHandles(CARD);
const PILL_HANDLES = sideHandles(PILL);
export const handlesOf = (kind: LineageNodeKind) => (isHolder(kind) ? PILL_HANDLES : CARD_HANDLES);

function ExpandButton({ label, id, expansion }: { label: string; id: string; expansion: Expansion }) {
  const onExpand = use(ExpandContext);
  if (expansion === "done") return null;
  return (
    <button
      type="button"
      className="nodrag nopan absolute -right-2.5 -top-2.5 flex h-5 w-5 items-center justify-center rounded-full bg-white text-xs font-semibold text-gray-600 shadow ring-1 ring-gray-300 hover:bg-indigo-50 hover:text-indigo-700"
      aria-label={`Show the neighbours of ${label}`}
      title="Show this node's neighbours"
      aria-busy={expansion === "loading" || undefined}
      disabled={expansion === "loading"}
      onClick={() => onExpand(id)}
    >
      {expansion === "loading" ? "…" : "+"}
    </button>
  );
}

function NodeBody({ href, className, children }: { href: string | null; className: string; children: React.ReactNode }) {
  // Hundreds of links may be on screen: prefetching each would send as many requests.
  if (href) {
    return (
      <Link href={href} prefetch={false} className={className}>
        {children}
      </Link>
    );
  }
  return <div className={className}>{children}</div>;
}

/** A dataset version, run, logged model, model version or job: kind badge, name, a second line. */
export const EntityNode = memo(function EntityNode({ data, type }: NodeProps<LineageFlowNode>) {
  const { node, href, root, expansion } = data;
  const tone = CARD_TONES[type as keyof typeof CARD_TONES];
  return (
    <div
      className={cn("relative rounded-md border border-l-4 bg-white shadow-sm", tone.edge, root ? "border-gray-900 ring-2 ring-indigo-500 ring-offset-2" : "border-gray-200")}
      style={CARD}
      data-kind={node.kind}
      data-root={root || undefined}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className={HANDLE} />
      <NodeBody href={href} className="block h-full px-2.5 py-2 hover:bg-gray-50">
        <span className="flex items-center gap-1.5">
          <span className={cn("shrink-0 rounded px-1 py-px text-[10px] font-medium uppercase tracking-wide ring-1 ring-inset", tone.badge)}>
            <span aria-hidden>{BADGES[type as keyof typeof BADGES]}</span>
            <span className="sr-only">{KIND_NAMES[node.kind]}</span>
          </span>
          <span className={cn("truncate text-sm font-medium", href ? "text-indigo-700" : "text-gray-900")} title={node.label}>
            {node.label}
          </span>
        </span>
        <span className="mt-1 block truncate font-mono text-xs text-gray-500" title={node.detail ?? undefined}>
          {node.detail ?? "\u00a0"}
        </span>
      </NodeBody>
      <ExpandButton label={node.label} id={node.id} expansion={expansion} />
      <Handle type="source" position={Position.Right} isConnectable={false} className={HANDLE} />
    </div>
  );
});

/** An alias (@champion) or a stage (Production) held by the version it hangs off. */
export const HolderNode = memo(function HolderNode({ data }: NodeProps<LineageFlowNode>) {
  const { node, href, root } = data;
  const tone = node.kind === "alias" ? "bg-fuchsia-50 text-fuchsia-700 ring-fuchsia-600/30" : (STAGE_TONES[node.label] ?? "bg-gray-100 text-gray-700 ring-gray-500/30");
  return (
    <div style={PILL} className="flex items-center" data-kind={node.kind} data-root={root || undefined}>
      <Handle type="target" position={Position.Left} isConnectable={false} className={HANDLE} />
      <NodeBody
        href={href}
        className={cn("max-w-full truncate rounded-full px-2.5 py-1 font-mono text-xs font-medium ring-1 ring-inset", tone, root && "ring-2 ring-indigo-500")}
      >
        <span className="sr-only">{KIND_NAMES[node.kind]} </span>
        {node.kind === "alias" ? `@${node.label}` : node.label}
      </NodeBody>
      <Handle type="source" position={Position.Right} isConnectable={false} className={HANDLE} />
    </div>
  );
});

export const NODE_TYPES = {
  dataset: EntityNode,
  run: EntityNode,
  model: EntityNode,
  version: EntityNode,
  job: EntityNode,
  alias: HolderNode,
  stage: HolderNode,
} as const;
