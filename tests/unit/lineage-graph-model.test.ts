import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";
import { datasetDigest, edgeLabel, elkGraphOf, mergeGraphs, positionsOf, sizeOf } from "@/components/lineage/graph-model";
import type { LineageEdge, LineageGraph, LineageNode } from "@/server/services/lineage/types";

const node = (id: string, kind: LineageNode["kind"], depth = 1): LineageNode => ({ id, kind, label: id, detail: null, path: null, depth });
const edge = (from: string, to: string, kind: LineageEdge["kind"], context: string | null = null): LineageEdge => ({ from, to, kind, context });

/** dataset → run → logged model → version → @champion, as the model version's upstream walk returns it. */
const chain: LineageGraph = {
  root: "version:fraud/3",
  direction: "both",
  depth: 3,
  truncated: false,
  nodes: [
    node("version:fraud/3", "version", 0),
    node("alias:fraud@champion", "alias"),
    node("model:m-1", "model"),
    node("run:r1", "run", 2),
    node("dataset:transactions@ab12", "dataset", 3),
  ],
  edges: [
    edge("dataset:transactions@ab12", "run:r1", "input", "train"),
    edge("run:r1", "model:m-1", "produced"),
    edge("model:m-1", "version:fraud/3", "registered"),
    edge("version:fraud/3", "alias:fraud@champion", "holds"),
  ],
};

describe("lineage graph model", () => {
  it("lays the chain out left to right, from the data to the alias", async () => {
    const positions = positionsOf(await new ELK().layout(elkGraphOf(chain)));
    const x = (id: string) => positions.get(id)!.x;
    expect(x("dataset:transactions@ab12")).toBeLessThan(x("run:r1"));
    expect(x("run:r1")).toBeLessThan(x("model:m-1"));
    expect(x("model:m-1")).toBeLessThan(x("version:fraud/3"));
    expect(x("version:fraud/3")).toBeLessThan(x("alias:fraud@champion"));
  });

  it("gives ELK the size each kind is drawn at, aliases and stages as pills", () => {
    const input = elkGraphOf(chain);
    expect(input.layoutOptions).toMatchObject({ "elk.algorithm": "layered", "elk.direction": "RIGHT" });
    expect(input.children?.find((child) => child.id === "alias:fraud@champion")).toMatchObject(sizeOf("alias"));
    expect(sizeOf("alias").width).toBeLessThan(sizeOf("run").width);
  });

  it("leaves out edges to nodes a capped walk did not return", () => {
    const capped = { ...chain, edges: [...chain.edges, edge("run:r0", "run:r1", "parent")] };
    expect(elkGraphOf(capped).edges).toHaveLength(chain.edges.length);
  });

  it("adds an expanded node's neighbours without duplicating what is drawn", () => {
    const neighbours: LineageGraph = {
      root: "run:r1",
      direction: "both",
      depth: 1,
      truncated: false,
      nodes: [node("run:r1", "run", 0), node("run:r0", "run"), node("model:m-1", "model")],
      edges: [edge("run:r0", "run:r1", "parent"), edge("run:r1", "model:m-1", "produced")],
    };
    const merged = mergeGraphs(chain, neighbours);
    expect(merged.root).toBe(chain.root);
    expect(merged.nodes.map((n) => n.id)).toEqual([...chain.nodes.map((n) => n.id), "run:r0"]);
    expect(merged.nodes.find((n) => n.id === "run:r1")?.depth).toBe(2);
    expect(merged.edges).toHaveLength(chain.edges.length + 1);
  });

  it("labels input edges with their context and holds edges with nothing", () => {
    expect(edgeLabel(edge("d", "r", "input", "eval"))).toBe("eval");
    expect(edgeLabel(edge("d", "r", "input"))).toBe("input");
    expect(edgeLabel(edge("r", "r2", "parent"))).toBe("child run");
    expect(edgeLabel(edge("v", "a", "holds"))).toBe("");
  });

  it("reads a dataset version's digest from its id, even when the name contains @", () => {
    expect(datasetDigest("dataset:team@2026/sales@9f8e")).toBe("9f8e");
    expect(datasetDigest("run:abc")).toBeNull();
  });
});
