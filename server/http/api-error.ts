import { ZodError } from "zod";
import { AppError, HTTP_STATUS, type AppErrorCode } from "@/lib/errors";
import { databaseErrorAsAppError } from "@/server/db/errors";
import { logger } from "@/server/observability/logger";
import { currentRequestId } from "@/server/observability/request-context";

/**
 * Tally REST error body: `{ "error": { "code": "...", "message": "...", "request_id": "..." } }`, plus
 * any `details` the error has (a refused policy's problems). The request id is the one in the
 * answer's X-Request-Id header and in the server's log line for the request.
 */
export function apiError(status: number, code: AppErrorCode | "INTERNAL", message: string, details: Record<string, unknown> = {}): Response {
  const requestId = currentRequestId();
  return Response.json({ error: { code, message, ...details, ...(requestId ? { request_id: requestId } : {}) } }, { status });
}

export function errorResponse(error: unknown): Response {
  const domain = error instanceof AppError ? error : databaseErrorAsAppError(error);
  if (domain) return apiError(HTTP_STATUS[domain.code], domain.code, domain.message);
  if (error instanceof ZodError) {
    return apiError(400, "BAD_INPUT", error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "));
  }
  logger().error({ err: error }, "Tally API request failed");
  return apiError(500, "INTERNAL", "Internal error");
}
