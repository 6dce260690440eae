import { lineageWalkRoute } from "../lineage-walk-route";

/** What is downstream of a node (?node=<kind>:<id>&depth=N), with the edges among them. */
export const GET = lineageWalkRoute("downstream");
