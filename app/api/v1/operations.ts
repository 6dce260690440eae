import type { OperationSpec } from "@/lib/openapi/operation";
import { mlflowDocumentOperation, tallyDocumentOperation } from "@/server/http/openapi/documents";
import * as openLineage from "./lineage/route";
import * as modelCard from "./models/[name]/versions/[version]/card.md/route";
import * as dvcImport from "./projects/[slug]/datasets/import/dvc/route";
import * as lineageDownstream from "./projects/[slug]/lineage/downstream/route";
import * as lineageImpact from "./projects/[slug]/lineage/impact/route";
import * as projectOpenLineage from "./projects/[slug]/lineage/route";
import * as lineageUpstream from "./projects/[slug]/lineage/upstream/route";
import * as holders from "./projects/[slug]/models/[name]/holders/route";
import * as policy from "./projects/[slug]/policy/route";
import * as promotionRequest from "./projects/[slug]/promotion-requests/[id]/route";
import * as promotionRequests from "./projects/[slug]/promotion-requests/route";
import * as metricHistory from "./runs/[runId]/metric-history/route";
import * as whoami from "./whoami/route";

/**
 * Every route module under app/api/v1, each of whose handlers carries its operation
 * (server/http/api-operation.ts): the OpenAPI document is made of them. A route missing here, or a
 * handler without an operation, fails tests/integration/openapi-document.test.ts. The documents'
 * own routes import this list, so their operations are added by name instead.
 */
export const v1RouteModules: Readonly<Record<string, Record<string, unknown>>> = {
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
