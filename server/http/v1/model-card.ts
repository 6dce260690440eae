import { z } from "zod";
import { markdownText } from "@/lib/schemas/api-answers";
import { apiOperation } from "../api-operation";
import { exportModelCardMarkdown } from "@/server/services/model-cards";

export const GET = apiOperation({
  operationId: "exportModelCard",
  method: "GET",
  path: "/models/{name}/versions/{version}/card.md",
  summary: "A version's model card as markdown",
  description: "The card of a registered model version of the token's project, as markdown with YAML front matter (Hugging Face model card format).",
  tag: "Model registry",
  auth: "token",
  params: z.object({
    name: z.string().min(1).max(1000),
    version: z.coerce.number({ error: "version must be a number" }).int().min(1, "version must be a positive integer").max(2_147_483_647, "version is too large"),
  }),
  answers: {
    200: {
      description: "The card, as a README.md download.",
      content: { "text/markdown": markdownText },
      headers: { "content-disposition": 'attachment; filename="README.md"' },
    },
  },
}).handle(async ({ access, params }) =>
  new Response(await exportModelCardMarkdown(access, params.name, params.version), {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="README.md"`,
      "cache-control": "no-store",
    },
  }));
