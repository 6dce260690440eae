import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { AppError, type AppErrorCode } from "@/lib/errors";
import { databaseErrorAsAppError } from "@/server/db/errors";
import { projectRef } from "@/lib/schemas/projects";
import { currentRequestId } from "../observability/request-context";
import { resolveProjectAccess, type UserActor } from "../services/access";

export interface TrpcContext {
  actor: UserActor | null;
}

const TRPC_CODES: Record<AppErrorCode, TRPCError["code"]> = {
  BAD_INPUT: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TIMEOUT: "TIMEOUT",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  // tRPC has no 507; the message says what is full.
  INSUFFICIENT_STORAGE: "SERVICE_UNAVAILABLE",
};

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // The id in the answer's X-Request-Id header and the server's log line, for a bug report.
    const requestId = currentRequestId();
    const data = requestId ? { ...shape.data, requestId } : shape.data;
    if (error.cause instanceof ZodError) {
      return { ...shape, data, message: error.cause.issues.map((issue) => issue.message).join("; ") };
    }
    // Unexpected failures say nothing about internals to the browser; the server log has the details.
    if (error.code === "INTERNAL_SERVER_ERROR") return { ...shape, data, message: "Internal error" };
    return { ...shape, data };
  },
});

/** Services throw AppError; this turns them into tRPC errors with the matching code. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause instanceof AppError ? result.error.cause : databaseErrorAsAppError(result.error.cause);
  if (cause) throw new TRPCError({ code: TRPC_CODES[cause.code], message: cause.message, cause });
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in" });
  return next({ ctx: { actor: ctx.actor } });
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.actor.isAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Only instance administrators can do this" });
  return next();
});

/**
 * Every procedure on project data is built from this: it takes `projectSlug`, resolves membership
 * (NOT_FOUND for a project the caller is not in) and hands the resolved access to the resolver. What
 * the caller may do is not decided here: the service the resolver calls asserts its own scope.
 */
export function projectProcedure() {
  return authedProcedure.input(projectRef).use(async ({ ctx, input, next }) => {
    const access = await resolveProjectAccess(ctx.actor, input.projectSlug);
    return next({ ctx: { ...ctx, access } });
  });
}
