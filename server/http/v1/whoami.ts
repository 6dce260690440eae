import { json } from "@/lib/openapi/operation";
import { whoamiAnswer } from "@/lib/schemas/api-answers";
import { apiOperation } from "../api-operation";

export const GET = apiOperation({
  operationId: "whoami",
  method: "GET",
  path: "/whoami",
  summary: "The token's project and scopes",
  description: "Proves a token end to end: which project it belongs to and what it may do.",
  tag: "Tokens",
  auth: "token",
  answers: { 200: { description: "The token is valid.", content: json(whoamiAnswer) } },
}).handle(async ({ token, access }) => ({
  status: 200,
  body: {
    project: { slug: access.project.slug, name: access.project.name },
    token: { id: token.tokenId, name: token.tokenName, scopes: token.scopes, expiresAt: token.expiresAt?.toISOString() ?? null },
  },
}));
