import type { z } from "zod";
import type { ProjectAccess } from "@/server/services/access";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * One MLflow endpoint: its request and answer schemas (the OpenAPI document of the MLflow API is
 * generated from them, docs/api.md) and the handler the edge calls with the parsed request.
 */
export interface MlflowRoute {
  method: HttpMethod;
  /** Path after /api/2.0/mlflow, e.g. "/runs/log-batch"; `:name` matches one segment, `*name` the rest. */
  path: string;
  summary: string;
  /**
   * The body carries dataset schemas and profiles (MLflow allows up to 1 MiB and 16 MiB each), so it
   * may be LARGE_BODY_FACTOR times TALLY_MAX_BODY_MB instead of once.
   */
  largeBody?: true;
  /** The request's fields: the query string of a GET, the JSON body otherwise. */
  input: z.ZodType;
  /** The path's parameters, when it has any. */
  params?: z.ZodObject;
  /** The answer's body (status 200). */
  answer: z.ZodType;
  /** Calls a service, which asserts the scope it needs: the edge only resolved the project and parsed the request. */
  handle: (access: ProjectAccess, input: unknown, params: unknown) => Promise<unknown>;
}

/** A route whose handler is type-checked against its schemas: it gets what `input` parses to and must answer what `answer` accepts. */
export function mlflowRoute<Input extends z.ZodType, Answer extends z.ZodType, Params extends z.ZodObject = z.ZodObject<Record<string, never>>>(route: {
  method: HttpMethod;
  path: string;
  summary: string;
  largeBody?: true;
  input: Input;
  params?: Params;
  answer: Answer;
  handle: (access: ProjectAccess, input: z.output<Input>, params: z.output<Params>) => Promise<NoInfer<z.input<Answer>>>;
}): MlflowRoute {
  return route as MlflowRoute;
}

export const LARGE_BODY_FACTOR = 4;

/** What `matchRoute` needs of a route: both REST edges (MLflow and its artifact API) declare theirs so. */
export interface RoutePattern {
  method: string;
  /** `:name` matches one segment, `*name` the rest (at least one segment). */
  path: string;
}

/** Finds the route for a method and path, with its captured path parameters. */
export function matchRoute<Route extends RoutePattern>(
  routes: readonly Route[],
  method: string,
  segments: string[],
): { route: Route; params: Record<string, string> } | "method-not-allowed" | null {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? "method-not-allowed" : null;
}

function matchPath(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (part.startsWith("*")) {
      if (index >= segments.length) return null;
      params[part.slice(1)] = segments.slice(index).join("/");
      return params;
    }
    const segment = segments[index];
    if (segment === undefined) return null;
    if (part.startsWith(":")) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return parts.length === segments.length ? params : null;
}
