import { describe, expect, it } from "vitest";
import { seedsOf, type SeedItem } from "@/components/lineage/seeds";
import type { LineageEdge, LineageGraph, LineageNode } from "@/server/services/lineage/types";

const node = (id: string, kind: LineageNode["kind"], label = id): LineageNode => ({ id, kind, label, detail: null, path: null, depth: 1 });
const edge = (from: string, to: string, kind: LineageEdge["kind"], context: string | null = null): LineageEdge => ({ from, to, kind, context });

/**
 * fraud v3 was registered from a logged model of run r1 (a child of r0, started by a pipeline job j2,
 * fine-tuning model m-0). r1 trained on "clean" and evaluated on "holdout"; a job j1 made "clean" from
 * "raw" and also reads its own output (a cycle); the parent r0 read "grid".
 */
const upstream: LineageGraph = {
  root: "version:fraud/3",
  direction: "upstream",
  depth: 10,
  truncated: false,
  nodes: [
    node("version:fraud/3", "version", "fraud v3"),
    node("model:m-1", "model", "fraud-model"),
    node("run:r1", "run", "train-42"),
    node("run:r0", "run", "sweep"),
    node("model:m-0", "model", "bert-base"),
    node("job:j2", "job", "airflow.train"),
    node("dataset:clean@c1", "dataset", "clean"),
    node("dataset:holdout@h1", "dataset", "holdout"),
    node("dataset:raw@r1", "dataset", "raw"),
    node("dataset:grid@g1", "dataset", "grid"),
    node("job:j1", "job", "clean_data"),
  ],
  edges: [
    edge("model:m-1", "version:fraud/3", "registered"),
    edge("run:r1", "model:m-1", "produced"),
    edge("run:r0", "run:r1", "parent"),
    edge("job:j2", "run:r1", "openlineage"),
    edge("model:m-0", "run:r1", "base_model"),
    edge("dataset:clean@c1", "run:r1", "input", "train"),
    edge("dataset:holdout@h1", "run:r1", "input", "eval"),
    edge("dataset:grid@g1", "run:r0", "input"),
    edge("job:j1", "dataset:clean@c1", "output"),
    edge("dataset:raw@r1", "job:j1", "input"),
    edge("dataset:clean@c1", "job:j1", "input"),
  ],
};

describe("a model version's seeds", () => {
  it("finds the run through the logged model when the version names none, with its parents, base models and jobs", () => {
    const { experiment } = seedsOf(upstream, null);
    expect(experiment.run?.label).toBe("train-42");
    expect(experiment.parents.map((run) => run.label)).toEqual(["sweep"]);
    expect(experiment.baseModels.map((model) => model.label)).toEqual(["bert-base"]);
    expect(experiment.jobs.map((job) => job.label)).toEqual(["airflow.train"]);
  });

  it("lists the data the runs read with digest and context, and what produced it, through a cycle", () => {
    const { data } = seedsOf(upstream, "r1");
    expect(data.map((item) => [item.node.label, item.digest, item.contexts, item.usedBy?.label ?? null])).toEqual([
      ["clean", "c1", ["train"], null],
      ["holdout", "h1", ["eval"], null],
      ["grid", "g1", [], "sweep"],
    ]);
    const [producer] = data[0]!.children;
    expect(producer?.node.label).toBe("clean_data");
    // The job reads raw, and its own output: clean is listed again without its upstream, so the cycle ends.
    expect(producer?.children.map((item) => [item.node.label, item.repeated, item.children.length])).toEqual([
      ["raw", false, 0],
      ["clean", true, 0],
    ]);
  });

  it("lists each node's upstream once where pipelines share inputs", () => {
    // Ten stages, each reading the source and every earlier stage's output: one branch per path would be 2^10.
    const stages = Array.from({ length: 10 }, (_, index) => index);
    const shared: LineageGraph = {
      ...upstream,
      nodes: [
        node("version:fraud/3", "version"),
        node("run:r1", "run"),
        node("dataset:src@0", "dataset"),
        ...stages.flatMap((stage) => [node(`job:s${stage}`, "job"), node(`dataset:out${stage}@${stage}`, "dataset")]),
      ],
      edges: [
        edge("run:r1", "version:fraud/3", "registered"),
        edge("dataset:out9@9", "run:r1", "input", "train"),
        ...stages.flatMap((stage) => [
          edge("dataset:src@0", `job:s${stage}`, "input"),
          edge(`job:s${stage}`, `dataset:out${stage}@${stage}`, "output"),
          ...stages.filter((earlier) => earlier < stage).map((earlier) => edge(`dataset:out${earlier}@${earlier}`, `job:s${stage}`, "input")),
        ]),
      ],
    };
    const count = (items: SeedItem[]): number => items.reduce((sum, item) => sum + 1 + count(item.children), 0);
    const { data } = seedsOf(shared, "r1");
    expect(count(data)).toBeLessThan(shared.nodes.length + shared.edges.length);
    expect(data[0]?.children[0]?.node.id).toBe("job:s9");
  });

  it("has no experiment when the version's run is not in the graph", () => {
    const alone: LineageGraph = { ...upstream, nodes: [upstream.nodes[0]!], edges: [] };
    expect(seedsOf(alone, null).experiment.run).toBeNull();
    expect(seedsOf(alone, null).data).toEqual([]);
  });
});
