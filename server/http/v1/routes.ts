import type { OperationSpec } from "@/lib/openapi/operation";
import { mlflowDocumentOperation, tallyDocumentOperation } from "../openapi/documents";
import type { RouteModule } from "../route-module";
import * as dvcImport from "./dvc-import";
import * as holders from "./holders";
import * as lineageDownstream from "./lineage-downstream";
import * as lineageImpact from "./lineage-impact";
import * as openLineage from "./lineage";
import * as lineageUpstream from "./lineage-upstream";
import * as metricHistory from "./metric-history";
import * as modelCard from "./model-card";
import * as policy from "./policy";
import * as projectOpenLineage from "./project-lineage";
import * as promotionRequest from "./promotion-request";
import * as promotionRequests from "./promotion-requests";
import * as whoami from "./whoami";

/**
 * Every /api/v1 route module but the two OpenAPI documents, by its path under /api/v1 written as
 * its folder under app/api/v1 (whose route.ts re-exports it). Each handler carries its operation
 * (server/http/api-operation.ts): the OpenAPI document is made of them. A route missing here, or a
 * handler without an operation, fails tests/integration/openapi-document.test.ts. The documents'
 * own modules import this list, so their operations are added by name instead; the table of
 * everything served (server/http/rest-routes.ts) adds their modules.
 */
export const v1RouteModules: Readonly<Record<string, RouteModule>> = {
  lineage: openLineage,
  "models/[name]/versions/[version]/card.md": modelCard,
  "projects/[slug]/datasets/import/dvc": dvcImport,
  "projects/[slug]/lineage": projectOpenLineage,
  "projects/[slug]/lineage/downstream": lineageDownstream,
  "projects/[slug]/lineage/impact": lineageImpact,
  "projects/[slug]/lineage/upstream": lineageUpstream,
  "projects/[slug]/models/[name]/holders": holders,
  "projects/[slug]/policy": policy,
  "projects/[slug]/promotion-requests/[id]": promotionRequest,
  "projects/[slug]/promotion-requests": promotionRequests,
  "runs/[runId]/metric-history": metricHistory,
  whoami,
};

/** The operation a route module's export serves, if it is a handler built by apiOperation. */
export function operationOf(exported: unknown): OperationSpec | undefined {
  return typeof exported === "function" && "operation" in exported ? (exported.operation as OperationSpec) : undefined;
}

export const v1Operations: readonly OperationSpec[] = [
  ...Object.values(v1RouteModules).flatMap((module) => Object.values(module).flatMap((exported) => operationOf(exported) ?? [])),
  tallyDocumentOperation,
  mlflowDocumentOperation,
];
