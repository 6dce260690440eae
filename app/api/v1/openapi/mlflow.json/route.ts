import { apiOperation } from "@/server/http/api-operation";
import { mlflowApiDocument, mlflowDocumentOperation } from "@/server/http/openapi/documents";

export const dynamic = "force-dynamic";

let document: ReturnType<typeof mlflowApiDocument> | undefined;

export const GET = apiOperation(mlflowDocumentOperation).handle(async () => ({ status: 200, body: (document ??= mlflowApiDocument()) }));
