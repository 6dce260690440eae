import { json } from "@/lib/openapi/operation";
import { lineageImpactAnswer } from "@/lib/schemas/api-answers";
import { projectPath } from "@/lib/schemas/api-params";
import { lineageImpactQuery } from "@/lib/schemas/lineage";
import { apiOperation } from "../api-operation";
import { lineageImpactWire } from "../lineage-wire";
import { impactSourceOf, lineageImpact } from "@/server/services/lineage";

export const GET = apiOperation({
  operationId: "getLineageImpact",
  method: "GET",
  path: "/projects/{slug}/lineage/impact",
  summary: "Everything downstream of a dataset, commit or logged model",
  description:
    "Give exactly one of `dataset` (with an optional `digest`), `commit` or `model`: the runs, logged models, " +
    "model versions (with the stages and aliases they hold now) and data derived from it.",
  tag: "Lineage",
  auth: "token",
  params: projectPath,
  query: lineageImpactQuery,
  answers: { 200: { description: "What is affected, by kind, each with its path from the source.", content: json(lineageImpactAnswer) } },
}).handle(async ({ access, query }) => ({ status: 200, body: lineageImpactWire(await lineageImpact(access, impactSourceOf(query), query.depth)) }));
