import { lineageGraphInput, lineageImpactInput } from "@/lib/schemas/lineage";
import { impactSourceOf, lineageGraph, lineageImpact } from "../../services/lineage";
import { projectProcedure, router } from "../init";

/** The lineage graph and impact queries (docs/lineage.md); the service decides who may read. */
export const lineageRouter = router({
  graph: projectProcedure()
    .input(lineageGraphInput)
    .query(({ ctx, input }) => lineageGraph(ctx.access, { node: input.node, direction: input.direction, depth: input.depth })),
  impact: projectProcedure()
    .input(lineageImpactInput)
    .query(({ ctx, input }) => lineageImpact(ctx.access, impactSourceOf(input.query), input.query.depth)),
});
