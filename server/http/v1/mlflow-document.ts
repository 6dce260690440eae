import { apiOperation } from "../api-operation";
import { mlflowApiDocument, mlflowDocumentOperation } from "../openapi/documents";

let document: ReturnType<typeof mlflowApiDocument> | undefined;

export const GET = apiOperation(mlflowDocumentOperation).handle(async () => ({ status: 200, body: (document ??= mlflowApiDocument()) }));
