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
  /** Already in the tree above (with what it came from): listed again without it. */
  repeated: boolean;
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

  // What produced a dataset version, and what that read, as far as the graph goes. Each node's own
  // upstream is listed once: where pipelines share inputs (or a job reads its own output) a node met
  // again is marked repeated, so the tree stays as big as the graph rather than one branch per path.
  const listed = new Set<string>();
  const item = (node: LineageNode, contexts: string[], usedBy: LineageNode | null, upstream: (id: string) => SeedItem[]): SeedItem => {
    const repeated = listed.has(node.id);
    listed.add(node.id);
    return { node, digest: datasetDigest(node.id), contexts, usedBy, repeated, children: repeated ? [] : upstream(node.id) };
  };
  const producers = (datasetId: string): SeedItem[] => found(into(datasetId, "output")).map((producer) => item(producer, [], null, inputsOf));
  const inputsOf = (consumerId: string): SeedItem[] =>
    into(consumerId, "input").flatMap((edge) => {
      const dataset = nodes.get(edge.from);
      return dataset ? [item(dataset, edge.context ? [edge.context] : [], null, producers)] : [];
    });

  // The runs' own inputs first, so that they are the ones listed with their upstream.
  const direct = new Map<string, { dataset: LineageNode; contexts: string[]; usedBy: LineageNode | null }>();
  for (const consumer of runs) {
    for (const edge of into(consumer.id, "input")) {
      const dataset = nodes.get(edge.from);
      if (!dataset) continue;
      const entry = direct.get(dataset.id) ?? { dataset, contexts: [], usedBy: consumer === run ? null : consumer };
      if (edge.context && !entry.contexts.includes(edge.context)) entry.contexts.push(edge.context);
      direct.set(dataset.id, entry);
    }
  }
  for (const id of direct.keys()) listed.add(id);
  const data = [...direct.values()].map(({ dataset, contexts, usedBy }) => ({
    node: dataset,
    digest: datasetDigest(dataset.id),
    contexts,
    usedBy,
    repeated: false,
    children: producers(dataset.id),
  }));

  return {
    data,
    experiment: {
      run,
      parents,
      baseModels: [...new Set(runs.flatMap((consumer) => found(into(consumer.id, "base_model"))))],
      jobs: [...new Set(runs.flatMap((consumer) => found(into(consumer.id, "openlineage"))))],
    },
  };
}
