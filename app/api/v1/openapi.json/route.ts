import { apiOperation } from "@/server/http/api-operation";
import { tallyApiDocument, tallyDocumentOperation } from "@/server/http/openapi/documents";
import { v1Operations } from "../operations";

export const dynamic = "force-dynamic";

let document: ReturnType<typeof tallyApiDocument> | undefined;

export const GET = apiOperation(tallyDocumentOperation).handle(async () => ({ status: 200, body: (document ??= tallyApiDocument(v1Operations)) }));
