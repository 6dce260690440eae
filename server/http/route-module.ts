import type { ApiCall, PlainAnswer } from "./api-call";

/**
 * The shape of a route module: what an app/**\/route.ts file exports, and what Tally's lean API path
 * (server/runtime/lean-api.ts) calls without Next.js. Path parameters are as Next gives them: each
 * segment percent-decoded once, a catch-all (`[...name]`) as the list of its segments.
 */
export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export type RouteParams = Record<string, string | string[] | undefined>;
export type RouteContext = { params: Promise<RouteParams> };
export type RouteHandler = (request: Request, context: RouteContext) => Response | Promise<Response>;
export type RouteModule = Partial<Record<RouteMethod, RouteHandler>>;
/** A route's plain handler (api-call.ts), for every method its module exports. */
export type PlainRouteHandler = (call: ApiCall, params: RouteParams) => Promise<PlainAnswer>;
