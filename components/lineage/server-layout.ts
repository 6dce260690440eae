import "server-only";
import ELK from "elkjs/lib/elk.bundled.js";
import type { LineageGraph } from "@/server/services/lineage/types";
import { elkGraphOf, positionsOf, type Layout } from "./graph-model";

/**
 * Graphs up to this size are laid out by the server, in a few milliseconds, so the page arrives
 * drawn: starting ELK's worker in the browser (1.5 MB of script, then its start-up) would otherwise
 * cost a lineage tab most of its time to interactive. Bigger graphs are laid out in the browser's
 * worker rather than hold up the server's event loop (ELK runs synchronously).
 */
export const SERVER_LAYOUT_MAX_NODES = 100;

let elk: InstanceType<typeof ELK> | null = null;

export async function serverLayout(graph: LineageGraph): Promise<Layout | null> {
  if (graph.nodes.length > SERVER_LAYOUT_MAX_NODES) return null;
  elk ??= new ELK();
  const started = performance.now();
  const laidOut = await elk.layout(elkGraphOf(graph));
  return { positions: Object.fromEntries(positionsOf(laidOut)), ms: performance.now() - started };
}
