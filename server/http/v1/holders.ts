import { z } from "zod";
import { badInput } from "@/lib/errors";
import { json } from "@/lib/openapi/operation";
import { holdersAnswer } from "@/lib/schemas/api-answers";
import { projectSlugParam } from "@/lib/schemas/api-params";
import { STORABLE_ISO_TIME, storableIsoTime } from "@/lib/schemas/iso-time";
import { parseStageOrAlias } from "@/lib/schemas/registry";
import { apiOperation } from "../api-operation";
import { targetHoldersAt } from "@/server/services/registry";

export const GET = apiOperation({
  operationId: "getTargetHolders",
  method: "GET",
  path: "/projects/{slug}/models/{name}/holders",
  summary: "Who held a stage or alias at a moment",
  description: "Time travel: which version held a stage or alias of a model at a moment (now by default).",
  tag: "Model registry",
  auth: "token",
  params: z.object({ slug: projectSlugParam, name: z.string().min(1).max(1000) }),
  query: z.object({
    target: z
      .string({ error: "target is required (a stage or an alias)" })
      .min(1, "target is required (a stage or an alias)")
      .max(300)
      .meta({ description: "A stage (Production) or an alias (champion, alias:champion)" }),
    at: z.iso
      .datetime({ offset: true, error: "at must be an ISO 8601 time, e.g. 2026-12-01T12:00:00Z" })
      .max(64)
      .refine(storableIsoTime, `at must have ${STORABLE_ISO_TIME}`)
      .optional(),
  }),
  answers: { 200: { description: "The holders (several for a stage, at most one for an alias).", content: json(holdersAnswer) } },
}).handle(async ({ access, params, query }) => {
  const target = parseStageOrAlias(query.target);
  if ("problem" in target) throw badInput(target.problem);
  const at = query.at ? new Date(query.at) : new Date();
  const holders = await targetHoldersAt(access, params.name, target, at);
  return {
    status: 200,
    body: {
      model: params.name,
      target: target.kind === "stage" ? { stage: target.stage } : { alias: target.alias },
      at: at.toISOString(),
      holders: holders.map((holder) => ({
        version: holder.version,
        since: holder.since.toISOString(),
        moved_by: holder.movedBy,
        request_id: holder.requestId,
        event_id: holder.eventId,
      })),
    },
  };
});
