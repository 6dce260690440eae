import { openLineageIntake } from "@/server/http/openlineage";
import { withApiToken } from "@/server/http/with-api-token";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/** An OpenLineage RunEvent into the project the URL names; the token must belong to it. */
export async function POST(request: Request, context: Context) {
  const { slug } = await context.params;
  return withApiToken((req, { access }) => openLineageIntake(req, access), slug)(request);
}
