import { z } from "zod";
import { json } from "@/lib/openapi/operation";
import { lineageGraphAnswer } from "@/lib/schemas/api-answers";
import { projectPath } from "@/lib/schemas/api-params";
import { lineageDepth, lineageNodeId } from "@/lib/schemas/lineage";
import { lineageGraph } from "@/server/services/lineage";
import { apiOperation } from "./api-operation";
import { lineageGraphWire } from "./lineage-wire";

const walkQuery = z.object({
  node: lineageNodeId.meta({ description: "Where to start: run:<id>, dataset:<name>@<digest>, version:<model>/<n>, alias:<model>@<alias>, …" }),
  depth: lineageDepth.default(10).meta({ description: "How many steps to walk" }),
});

/** GET …/lineage/upstream and …/lineage/downstream: one operation each, the direction fixed by the URL. */
export function lineageWalkRoute(direction: "upstream" | "downstream") {
  return apiOperation({
    operationId: direction === "upstream" ? "getLineageUpstream" : "getLineageDownstream",
    method: "GET",
    path: `/projects/{slug}/lineage/${direction}`,
    summary: direction === "upstream" ? "What a node comes from" : "What comes from a node",
    description: `The nodes ${direction} of \`node\` within \`depth\` steps, with the edges among them.`,
    tag: "Lineage",
    auth: "token",
    params: projectPath,
    query: walkQuery,
    answers: { 200: { description: "The walked graph.", content: json(lineageGraphAnswer) } },
  }).handle(async ({ access, query }) => ({ status: 200, body: lineageGraphWire(await lineageGraph(access, { ...query, direction })) }));
}
