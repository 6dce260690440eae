import { apiOperation } from "../api-operation";
import { tallyApiDocument, tallyDocumentOperation } from "../openapi/documents";
import { v1Operations } from "./routes";

let document: ReturnType<typeof tallyApiDocument> | undefined;

export const GET = apiOperation(tallyDocumentOperation).handle(async () => ({ status: 200, body: (document ??= tallyApiDocument(v1Operations)) }));
