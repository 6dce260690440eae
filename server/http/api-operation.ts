import type { z } from "zod";
import { badInput } from "@/lib/errors";
import { errorStatusesOf, JSON_MEDIA_TYPE, type OperationSpec } from "@/lib/openapi/operation";
import { apiErrorBody } from "@/lib/schemas/api-answers";
import { resolveProjectAccess, type Actor, type ProjectAccess } from "../services/access";
import { authenticateToken, tokenFromAuthorization, type TokenPrincipal } from "../services/api-tokens";
import { answerProblem, checkingAnswers } from "./answer-check";
import { apiError, errorResponse } from "./api-error";
import { readJsonBody } from "./body";
import { requestClientAddress } from "./client-address";
import { jsonResponse } from "./json";
import { refuseNulCharacters } from "./nul-characters";
import { requestActor } from "./request-actor";
import type { RouteContext } from "./route-module";

type Output<Schema, Otherwise> = Schema extends z.ZodType ? z.output<Schema> : Otherwise;
type Nothing = Record<string, never>;

/** The body as the edge parsed it: only a JSON-only body is parsed here, others (and raw ones) are read by the handler. */
type ParsedBody<Spec extends OperationSpec> = Spec["body"] extends { raw: true }
  ? undefined
  : Spec["body"] extends { content: infer Content }
    ? keyof Content extends typeof JSON_MEDIA_TYPE
      ? Content extends { "application/json": infer Schema }
        ? Output<Schema, never>
        : never
      : undefined
    : undefined;

type AuthOf<Spec extends OperationSpec> = Spec["auth"] extends "token"
  ? { token: TokenPrincipal; access: ProjectAccess }
  : Spec["auth"] extends "token-or-session"
    ? { actor: Actor }
    : Nothing;

export type OperationInput<Spec extends OperationSpec> = AuthOf<Spec> & {
  request: Request;
  params: Output<Spec["params"], Nothing>;
  query: Output<Spec["query"], Nothing>;
  headers: Output<Spec["headers"], Nothing>;
  body: ParsedBody<Spec>;
};

/** A JSON answer the edge serializes: its body must be what the status's schema accepts. */
export type JsonAnswer<Spec extends OperationSpec> = {
  [Status in keyof Spec["answers"]]: Spec["answers"][Status] extends { content: { "application/json": infer Schema extends z.ZodType } }
    ? { status: Status; body: z.input<Schema>; headers?: HeadersInit }
    : never;
}[keyof Spec["answers"]];

/** Only JSON answers: the handler gives status and body, type-checked. Any other media type: it builds the Response itself. */
type OnlyJson<Spec extends OperationSpec> = {
  [Status in keyof Spec["answers"]]: Spec["answers"][Status] extends { content: infer Content } ? (keyof Content extends typeof JSON_MEDIA_TYPE ? true : false) : true;
}[keyof Spec["answers"]];

export type HandlerResult<Spec extends OperationSpec> = false extends OnlyJson<Spec> ? Response : JsonAnswer<Spec>;

/** A Next route handler that carries the operation it serves (read by the OpenAPI document and its tests). */
export type OperationHandler = ((request: Request, context?: RouteContext) => Promise<Response>) & {
  readonly operation: OperationSpec;
};

/**
 * Builds a route handler from its operation: `apiOperation(spec).handle(async (input) => answer)`.
 * The handler authenticates as `spec.auth` says (a token's project is the one the path's `{slug}`
 * names, else the token's own), parses path, query, headers and a JSON body with the operation's
 * schemas (bad input is a 400 naming the field), calls `handler` and maps errors to the REST error
 * format. Outside production it also checks each answer against the documented schema of its status,
 * answering 500 when they disagree. (Two steps, so the spec alone fixes the types the handler is checked against.)
 */
export function apiOperation<const Spec extends OperationSpec>(spec: Spec) {
  return {
    handle(handler: (input: OperationInput<Spec>) => Promise<HandlerResult<Spec>>): OperationHandler {
      const serve = async (request: Request, context?: RouteContext): Promise<Response> => {
        try {
          const rawParams = (await context?.params) ?? {};
          const auth = await authenticate(spec, request, rawParams);
          const input = {
            ...auth,
            request,
            params: parseInput(spec.params, rawParams, "path"),
            query: parseInput(spec.query, Object.fromEntries(new URL(request.url).searchParams), "query"),
            headers: parseInput(spec.headers, Object.fromEntries(request.headers), "headers"),
            body: isJsonOnly(spec) ? parseInput(spec.body!.content[JSON_MEDIA_TYPE], await readJsonBody(request), "body") : undefined,
          } as OperationInput<Spec>;
          const answer: JsonAnswer<Spec> | Response = await handler(input);
          return answer instanceof Response ? answer : jsonResponse(answer.body, { status: Number(answer.status), headers: answer.headers });
        } catch (error) {
          return errorResponse(error);
        }
      };
      const served = checkingAnswers() ? checked(spec, serve) : serve;
      return Object.assign(served, { operation: spec });
    },
  };
}

async function authenticate(spec: OperationSpec, request: Request, params: Record<string, unknown>) {
  if (spec.auth === "public") return {};
  if (spec.auth === "token-or-session") return { actor: await requestActor(request) };
  const token = await authenticateToken(tokenFromAuthorization(request.headers.get("authorization")), requestClientAddress(request.headers));
  const slug = typeof params.slug === "string" ? params.slug : token.project.slug;
  return { token, access: await resolveProjectAccess(token, slug) };
}

function isJsonOnly(spec: OperationSpec): boolean {
  if (spec.body?.raw) return false;
  const mediaTypes = Object.keys(spec.body?.content ?? {});
  return mediaTypes.length === 1 && mediaTypes[0] === JSON_MEDIA_TYPE;
}

/** Every problem as `field: message` (the field's place in path, query, headers or body). */
function parseInput(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return {};
  refuseNulCharacters(value, where);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw badInput(parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : where}: ${issue.message}`).join("; "));
}

function checked<Spec extends OperationSpec>(spec: Spec, serve: (request: Request, context?: RouteContext) => Promise<Response>) {
  const errorStatuses = new Set(errorStatusesOf(spec));
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    const response = await serve(request, context);
    const answer = spec.answers[response.status];
    const problem = answer
      ? await answerProblem(response, answer.content)
      : errorStatuses.has(response.status)
        ? await answerProblem(response, { [JSON_MEDIA_TYPE]: apiErrorBody })
        : `status ${response.status} is not documented`;
    if (!problem) return response;
    const message = `${spec.method} ${spec.path} (${spec.operationId}) answered against its OpenAPI document: ${problem}`;
    console.error(message);
    return apiError(500, "INTERNAL", message);
  };
}
