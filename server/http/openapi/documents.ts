import { z } from "zod";
import { openApiDocument, type OpenApiDocument } from "@/lib/openapi/document";
import { hasRequiredFields } from "@/lib/openapi/json-schema";
import { ERROR_STATUS_MEANINGS, json, type OperationSpec } from "@/lib/openapi/operation";
import { apiErrorBody } from "@/lib/schemas/api-answers";
import { mlflowErrorBody } from "@/lib/schemas/mlflow-answers";
import type { MlflowRoute } from "../mlflow/route-table";
import { mlflowRoutes } from "../mlflow/routes";

/**
 * The two OpenAPI documents Tally serves (docs/api.md): its own REST API and the MLflow REST API it
 * implements, both generated from the zod schemas the edges validate requests and answers with.
 */

/** An OpenAPI document as an answer: only its outline is checked, the generator vouches for the rest. */
const openApiDocumentAnswer = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const tallyDocumentOperation = {
  operationId: "getTallyOpenApiDocument",
  method: "GET",
  path: "/openapi.json",
  summary: "This document",
  description: "The OpenAPI 3.1 document of Tally's own REST API. No token needed.",
  tag: "Documents",
  auth: "public",
  answers: { 200: { description: "The document.", content: json(openApiDocumentAnswer) } },
} as const satisfies OperationSpec;

export const mlflowDocumentOperation = {
  operationId: "getMlflowOpenApiDocument",
  method: "GET",
  path: "/openapi/mlflow.json",
  summary: "The MLflow REST API's document",
  description: "The OpenAPI 3.1 document of the MLflow REST API Tally serves under /api/2.0/mlflow. No token needed.",
  tag: "Documents",
  auth: "public",
  answers: { 200: { description: "The document.", content: json(openApiDocumentAnswer) } },
} as const satisfies OperationSpec;

/** Tally's REST API: `operations` are those of every route under app/api/v1 (server/http/v1/routes.ts). */
export function tallyApiDocument(operations: readonly OperationSpec[]): OpenApiDocument {
  return openApiDocument(
    {
      title: "Tally REST API",
      version: "v1",
      description:
        "Tally's own REST API for SDKs, CI jobs and scripts: tokens, metric history, lineage, promotions, the approval policy and model cards. " +
        "Authenticate with a project API token. Errors are `{ \"error\": { \"code\", \"message\" } }`; bad input is a 400 naming the field.",
      servers: [{ url: "/api/v1", description: "This Tally server" }],
      errorBody: apiErrorBody,
      errorMeanings: ERROR_STATUS_MEANINGS,
    },
    operations,
  );
}

const MLFLOW_ERROR_MEANINGS: Readonly<Record<number, string>> = {
  ...ERROR_STATUS_MEANINGS,
  400: "INVALID_PARAMETER_VALUE (the message names the field), or RESOURCE_ALREADY_EXISTS. Nothing was changed.",
  401: "UNAUTHENTICATED: no valid project API token was given.",
  403: "PERMISSION_DENIED: the token may not do this, or the move needs approval (the message links the promotion request).",
  404: "RESOURCE_DOES_NOT_EXIST: the experiment, run, model or version does not exist in the project.",
  413: "REQUEST_LIMIT_EXCEEDED: the request body is larger than the server's limit.",
  429: "REQUEST_LIMIT_EXCEEDED: too many failed attempts from this address.",
  503: "TEMPORARILY_UNAVAILABLE: the database was unavailable or too slow; the mlflow client retries.",
};

/** The MLflow REST API as Tally serves it, one operation per route of the route table. */
export function mlflowApiDocument(): OpenApiDocument {
  return openApiDocument(
    {
      title: "MLflow REST API (as served by Tally)",
      version: "2.0",
      description:
        "The MLflow tracking and model registry REST API that the mlflow client speaks, as Tally implements it (docs/mlflow-compat.md). " +
        "A project API token is the credential: Bearer, or the password of HTTP Basic (MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_PASSWORD). " +
        "GET requests carry their fields in the query string, others in a JSON body.",
      servers: [
        { url: "/api/2.0/mlflow", description: "The token's own project" },
        {
          url: "/projects/{slug}/api/2.0/mlflow",
          description: "A project named in the URL",
          variables: { slug: { default: "default", description: "The project's slug" } },
        },
      ],
      errorBody: mlflowErrorBody,
      errorMeanings: MLFLOW_ERROR_MEANINGS,
    },
    mlflowRoutes.map(mlflowOperation),
  );
}

function mlflowOperation(route: MlflowRoute): OperationSpec {
  // `:name` and `*name` (the rest of the path) are both one path parameter to OpenAPI.
  const path = route.path.replace(/[:*](\w+)/g, "{$1}");
  const words = path.split(/[/{}-]+/).filter(Boolean);
  const group = path.split("/")[1]!;
  return {
    operationId: [route.method.toLowerCase(), ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join(""),
    method: route.method,
    path,
    summary: route.summary,
    tag: MLFLOW_TAGS[group] ?? group,
    auth: "token",
    params: route.params,
    ...(route.method === "GET" ? { query: route.input } : { body: { content: json(route.input), required: hasRequiredFields(route.input) } }),
    answers: { 200: { description: "Done.", content: json(route.answer) } },
    errors: [404],
  };
}

const MLFLOW_TAGS: Readonly<Record<string, string>> = {
  experiments: "Experiments",
  runs: "Runs",
  metrics: "Metrics",
  artifacts: "Artifacts",
  "logged-models": "Logged models",
  "registered-models": "Registered models",
  "model-versions": "Model versions",
};
