import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** What Tally knows about the request being served, for its log line and its error bodies. */
export interface RequestContext {
  readonly requestId: string;
  /** The route family (metrics label); the edge that recognises the route may refine it. */
  family: string;
  /** The project the request was authorized for, once one was. */
  project?: string;
}

/**
 * One store per process, kept on globalThis: the HTTP server (loaded by tsx) and the route handlers
 * (bundled by Next.js) each get their own copy of this module, and both must see the same store.
 */
const globalForContext = globalThis as unknown as { tallyRequestContext?: AsyncLocalStorage<RequestContext> };
const storage = (globalForContext.tallyRequestContext ??= new AsyncLocalStorage<RequestContext>());

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The id of the request being served; undefined outside one (background jobs, tests calling services). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function noteRouteFamily(family: string): void {
  const context = storage.getStore();
  if (context) context.family = family;
}

export function noteProject(slug: string): void {
  const context = storage.getStore();
  if (context) context.project = slug;
}

/**
 * A client's (or a proxy's) own X-Request-Id is kept when it is a plain token (UUIDs, trace ids), so
 * one id follows a request through every hop; anything else could forge log fields, and is replaced.
 */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestIdFrom(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && ACCEPTABLE_REQUEST_ID.test(value) ? value : randomUUID();
}

export const REQUEST_ID_HEADER = "x-request-id";
