import { z } from "zod";
import type { AnswerSpec } from "@/lib/openapi/operation";
import { policyDocumentAnswer } from "@/lib/schemas/api-answers";
import { projectPath } from "@/lib/schemas/api-params";
import { policyDocumentInput, policyIfMatch } from "@/lib/schemas/policy";
import { apiOperation } from "../api-operation";
import { servePolicy } from "../policy";

const accept = z.string().optional().meta({ description: "application/json for the JSON shape; YAML otherwise" });

const policyAnswer = {
  description: "The policy: canonical YAML, or JSON when the request accepts application/json.",
  // YAML and JSON are two spellings of the same document.
  content: { "application/yaml": policyDocumentAnswer, "application/json": policyDocumentAnswer },
  headers: { etag: 'The policy\'s revision ("3"), for If-Match', "x-tally-policy-revision": "The same revision, as a number" },
} satisfies AnswerSpec;

export const GET = apiOperation({
  operationId: "getPolicy",
  method: "GET",
  path: "/projects/{slug}/policy",
  summary: "The project's approval policy",
  description: "As YAML (default) or JSON with `Accept: application/json` (docs/approval-policy.md).",
  tag: "Approval policy",
  auth: "token-or-session",
  params: projectPath,
  headers: z.object({ accept }),
  answers: { 200: policyAnswer },
}).handle(async ({ request, actor, params }) => servePolicy(request, params.slug, actor));

export const PUT = apiOperation({
  operationId: "replacePolicy",
  method: "PUT",
  path: "/projects/{slug}/policy",
  summary: "Replace the approval policy",
  description:
    "Owners only, signed in: API tokens never may. The body is the policy as YAML or JSON; a refused policy " +
    "answers 400 with each problem's line, column and key path. `If-Match` guards against overwriting a newer revision.",
  tag: "Approval policy",
  auth: "token-or-session",
  params: projectPath,
  headers: z.object({ accept, "if-match": policyIfMatch }),
  body: { content: { "application/yaml": policyDocumentInput, "application/json": policyDocumentInput }, required: true },
  answers: { 200: policyAnswer },
  errors: [409],
}).handle(async ({ request, actor, params }) => servePolicy(request, params.slug, actor));
