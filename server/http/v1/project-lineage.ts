import { projectPath } from "@/lib/schemas/api-params";
import { apiOperation } from "../api-operation";
import { openLineageIntake, openLineageOperation } from "../openlineage";

/** Into the project the URL names; the token must belong to it. */
export const POST = apiOperation({
  ...openLineageOperation("recordProjectOpenLineageEvent", "/projects/{slug}/lineage", "the project the URL names"),
  params: projectPath,
}).handle(async ({ request, access }) => openLineageIntake(request, access));
