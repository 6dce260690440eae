import { apiOperation } from "../api-operation";
import { openLineageIntake, openLineageOperation } from "../openlineage";

/** The OpenLineage HTTP transport's default path: into the token's project. */
export const POST = apiOperation(openLineageOperation("recordOpenLineageEvent", "/lineage", "the token's project")).handle(
  async ({ request, access }) => openLineageIntake(request, access),
);
