"use client";

import { useCallback } from "react";
import { useTRPCClient } from "@/lib/trpc-client";
import type { LineageGraph } from "@/server/services/lineage/types";
import type { Layout } from "./graph-model";
import { LineageGraphView } from "./lineage-graph-view";

/** The graph of a lineage tab: the page's query drawn, expansions fetched through tRPC (one step, both ways). */
export function LineagePanel({ slug, graph, layout }: { slug: string; graph: LineageGraph; layout: Layout | null }) {
  const client = useTRPCClient();
  const loadNeighbours = useCallback((node: string) => client.lineage.graph.query({ projectSlug: slug, node, direction: "both", depth: 1 }), [client, slug]);
  return <LineageGraphView slug={slug} graph={graph} layout={layout} loadNeighbours={loadNeighbours} />;
}
