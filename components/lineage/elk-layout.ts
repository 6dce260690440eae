import ELK, { type ELK as ElkInstance } from "elkjs/lib/elk-api";
import type { LineageGraph } from "@/server/services/lineage/types";
import { elkGraphOf, positionsOf, type Positions } from "./graph-model";

let elk: ElkInstance | null = null;

/**
 * One ELK for the page, running in a web worker: a layered layout of 500 nodes takes ELK 0.2 to 1 s,
 * which on the main thread would freeze the page (docs/lineage.md, "The graph view"). The worker is
 * started on the first layout (or warmLayoutEngine) and kept, so later tabs and expansions find it warm.
 */
function layoutEngine(): ElkInstance {
  elk ??= new ELK({ workerFactory: () => new Worker(new URL("./elk.worker.ts", import.meta.url)) });
  return elk;
}

/** Starts the worker (loading ELK takes it a moment) ahead of the first layout it will be asked for. */
export function warmLayoutEngine(): void {
  layoutEngine();
}

/** Where each node goes, and how long ELK took (also recorded as the performance measure "lineage-layout"). */
export async function layoutLineage(graph: Pick<LineageGraph, "nodes" | "edges">): Promise<{ positions: Positions; ms: number }> {
  const started = performance.now();
  const laidOut = await layoutEngine().layout(elkGraphOf(graph));
  const ms = performance.now() - started;
  performance.measure("lineage-layout", { start: started, duration: ms, detail: { nodes: graph.nodes.length } });
  return { positions: positionsOf(laidOut), ms };
}
