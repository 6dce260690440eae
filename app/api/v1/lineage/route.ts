import { openLineageIntake } from "@/server/http/openlineage";
import { withApiToken } from "@/server/http/with-api-token";

export const dynamic = "force-dynamic";

/** An OpenLineage RunEvent into the token's project (the OpenLineage HTTP transport's default path). */
export const POST = withApiToken((request, { access }) => openLineageIntake(request, access));
