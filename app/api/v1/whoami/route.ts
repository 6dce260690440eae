import { withApiToken } from "@/server/http/with-api-token";

export const dynamic = "force-dynamic";

/** Proves a token end to end: which project it belongs to and what it may do. */
export const GET = withApiToken(async (_request, { token, access }) =>
  Response.json({
    project: { slug: access.project.slug, name: access.project.name },
    token: { id: token.tokenId, name: token.tokenName, scopes: token.scopes, expiresAt: token.expiresAt },
  }),
);
