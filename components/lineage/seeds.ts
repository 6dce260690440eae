import type { LineageEdge, LineageGraph, LineageNode } from "@/server/services/lineage/types";
import { datasetDigest } from "./graph-model";

/**
 * A model version's "seeds" as its upstream lineage graph tells them: data (the dataset versions its
 * runs read, and what produced them) and experiment (the run, its parent runs, base models, the
 * pipeline jobs that started it). Code and environment come from the run's reproduction
 * (server/services/reproduce).
 */

/** A node of the data tree: a dataset version with how it was used, or the job or run that produced one. */
export interface SeedItem {
  node: LineageNode;
  /** For datasets: the digest. */
  digest: string | null;
  /** For datasets: the contexts the runs read it in (train, eval...). */
  contexts: string[];
  /** For datasets read by a parent run rather than the version's own run: that run. */
  usedBy: LineageNode | null;
  children: SeedItem[];
}

export interface Seeds {
  data: SeedItem[];
  experiment: {
    run: LineageNode | null;
    /** Nearest first. */
    parents: LineageNode[];
    baseModels: LineageNode[];
    /** OpenLineage or DVC job runs that started the run. */
    jobs: LineageNode[];
  };
}

function incomingIndex(graph: LineageGraph): (id: string, kind: LineageEdge["kind"]) => LineageEdge[] {
  const incoming = new Map<string, LineageEdge[]>();
  for (const edge of graph.edges) incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
  return (id, kind) => (incoming.get(id) ?? []).filter((edge) => edge.kind === kind);
}

/** The run the version was registered from: the given one, else the run upstream of its logged model. */
function sourceRun(graph: LineageGraph, nodes: Map<string, LineageNode>, into: ReturnType<typeof incomingIndex>, runId: string | null): LineageNode | null {
  if (runId) return nodes.get(`run:${runId}`) ?? null;
  for (const registered of into(graph.root, "registered")) {
    const from = nodes.get(registered.from);
    if (from?.kind === "run") return from;
    const producer = from ? into(from.id, "produced").map((edge) => nodes.get(edge.from)).find(Boolean) : undefined;
    if (producer) return producer;
  }
  return null;
}

export function seedsOf(graph: LineageGraph, runId: string | null): Seeds {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const into = incomingIndex(graph);
  const found = (edges: LineageEdge[]) => edges.map((edge) => nodes.get(edge.from)).filter((node): node is LineageNode => node !== undefined);

  const run = sourceRun(graph, nodes, into, runId);
  const parents: LineageNode[] = [];
  for (let child = run; child; ) {
    const parent: LineageNode | undefined = found(into(child.id, "parent")).find((candidate) => candidate !== run && !parents.includes(candidate));
    if (parent) parents.push(parent);
    child = parent ?? null;
  }
  const runs = run ? [run, ...parents] : [];

  // What produced a dataset version, and what that read, as far as the graph goes (a job may read its own output).
  const producers = (datasetId: string, seen: Set<string>): SeedItem[] =>
    found(into(datasetId, "output"))
      .filter((producer) => !seen.has(producer.id))
      .map((producer) => {
        const inner = new Set(seen).add(producer.id);
        return { node: producer, digest: null, contexts: [], usedBy: null, children: inputsOf(producer.id, inner) };
      });
  const inputsOf = (consumerId: string, seen: Set<string>): SeedItem[] =>
    into(consumerId, "input").flatMap((edge) => {
      const dataset = nodes.get(edge.from);
      if (!dataset || seen.has(dataset.id)) return [];
      return [
        {
          node: dataset,
          digest: datasetDigest(dataset.id),
          contexts: edge.context ? [edge.context] : [],
          usedBy: null,
          children: producers(dataset.id, new Set(seen).add(dataset.id)),
        },
      ];
    });

  const data = new Map<string, SeedItem>();
  for (const consumer of runs) {
    for (const edge of into(consumer.id, "input")) {
      const dataset = nodes.get(edge.from);
      if (!dataset) continue;
      const item = data.get(dataset.id) ?? {
        node: dataset,
        digest: datasetDigest(dataset.id),
        contexts: [],
        usedBy: consumer === run ? null : consumer,
        children: producers(dataset.id, new Set([dataset.id])),
      };
      if (edge.context && !item.contexts.includes(edge.context)) item.contexts.push(edge.context);
      data.set(dataset.id, item);
    }
  }

  return {
    data: [...data.values()],
    experiment: {
      run,
      parents,
      baseModels: [...new Set(runs.flatMap((consumer) => found(into(consumer.id, "base_model"))))],
      jobs: [...new Set(runs.flatMap((consumer) => found(into(consumer.id, "openlineage"))))],
    },
  };
}
