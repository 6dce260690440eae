import { lineageWalkRoute } from "@/server/http/lineage-walk-route";

export const dynamic = "force-dynamic";

/** What is downstream of a node (?node=<kind>:<id>&depth=N), with the edges among them. */
export const GET = lineageWalkRoute("downstream");
