import type { z } from "zod";
import { parametersOf, SchemaCollector, type JsonSchema } from "./json-schema";
import {
  ERROR_STATUS_MEANINGS,
  errorStatusesOf,
  JSON_MEDIA_TYPE,
  PROTOCOL_STATUS_MEANINGS,
  protocolStatusesOf,
  type MediaTypes,
  type OperationSpec,
} from "./operation";

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
  servers: { url: string; description: string; variables?: Record<string, { default: string; description: string }> }[];
  /** The body of every error answer. */
  errorBody: z.ZodType;
  /** What each error status means for this API. */
  errorMeanings: Readonly<Record<number, string>>;
}

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: DocumentInfo["servers"];
  tags: { name: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
};

const SECURITY_SCHEMES = {
  token: { type: "http", scheme: "bearer", description: "A project API token: `Authorization: Bearer tly_…`." },
  tokenAsPassword: {
    type: "http",
    scheme: "basic",
    description: "The same token as the password of HTTP Basic, any user name (what the mlflow client sends).",
  },
  session: {
    type: "apiKey",
    in: "cookie",
    name: "next-auth.session-token",
    description: "The web app's session, when no Authorization header is sent.",
  },
};

/** An OpenAPI 3.1 document of `operations`, generated from their zod schemas. */
export function openApiDocument(info: DocumentInfo, operations: readonly OperationSpec[]): OpenApiDocument {
  const collector = new SchemaCollector();
  // With an id (`.meta({ id })`) the error body is one named component every error answer refers to.
  const errorSchema = collector.answer(info.errorBody);
  const paths: OpenApiDocument["paths"] = {};
  const seenIds = new Set<string>();
  for (const spec of operations) {
    if (seenIds.has(spec.operationId)) throw new Error(`Two operations are called ${spec.operationId}`);
    seenIds.add(spec.operationId);
    const item = (paths[spec.path] ??= {});
    const method = spec.method.toLowerCase();
    if (item[method]) throw new Error(`${spec.method} ${spec.path} is declared twice`);
    item[method] = operationObject(collector, spec, info, errorSchema);
  }
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version, description: info.description },
    servers: info.servers,
    tags: [...new Set(operations.map((spec) => spec.tag))].map((name) => ({ name })),
    paths,
    components: { schemas: collector.components, securitySchemes: SECURITY_SCHEMES },
  };
}

function operationObject(collector: SchemaCollector, spec: OperationSpec, info: DocumentInfo, errorSchema: JsonSchema): JsonSchema {
  const parameters = [
    ...(spec.params ? parametersOf(collector, spec.params, "path") : []),
    ...(spec.query ? parametersOf(collector, spec.query, "query") : []),
    ...(spec.headers ? parametersOf(collector, spec.headers, "header") : []),
  ];
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(spec.answers)) {
    responses[status] = {
      description: answer.description,
      ...(answer.content ? { content: content(collector, answer.content, "answer") } : {}),
      ...(answer.headers
        ? { headers: Object.fromEntries(Object.entries(answer.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }])) }
        : {}),
    };
  }
  for (const status of errorStatusesOf(spec)) {
    responses[String(status)] = {
      description: info.errorMeanings[status] ?? ERROR_STATUS_MEANINGS[status] ?? "An error.",
      content: { [JSON_MEDIA_TYPE]: { schema: errorSchema } },
    };
  }
  for (const status of protocolStatusesOf(spec)) responses[String(status)] = { description: PROTOCOL_STATUS_MEANINGS[status]! };
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: securityOf(spec),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: spec.body.required,
            ...(spec.body.description ? { description: spec.body.description } : {}),
            content: content(collector, spec.body.content, "request"),
          },
        }
      : {}),
    responses,
  };
}

function content(collector: SchemaCollector, mediaTypes: MediaTypes, side: "request" | "answer") {
  return Object.fromEntries(
    Object.entries(mediaTypes).map(([mediaType, schema]) => [
      mediaType,
      { schema: side === "request" ? collector.request(schema) : collector.answer(schema) },
    ]),
  );
}

function securityOf(spec: OperationSpec): Record<string, string[]>[] {
  if (spec.auth === "public") return [];
  const token: Record<string, string[]>[] = [{ token: [] }, { tokenAsPassword: [] }];
  return spec.auth === "token-or-session" ? [...token, { session: [] }] : token;
}
