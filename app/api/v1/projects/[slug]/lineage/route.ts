import { projectPath } from "@/lib/schemas/api-params";
import { apiOperation } from "@/server/http/api-operation";
import { openLineageIntake, openLineageOperation } from "@/server/http/openlineage";

export const dynamic = "force-dynamic";

/** Into the project the URL names; the token must belong to it. */
export const POST = apiOperation({
  ...openLineageOperation("recordProjectOpenLineageEvent", "/projects/{slug}/lineage", "the project the URL names"),
  params: projectPath,
}).handle(async ({ request, access }) => openLineageIntake(request, access));
