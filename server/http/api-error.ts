import { ZodError } from "zod";
import { AppError, HTTP_STATUS, type AppErrorCode } from "@/lib/errors";
import { databaseErrorAsAppError } from "@/server/db/errors";

/** Tally REST error body: `{ "error": { "code": "...", "message": "..." } }`. */
export function apiError(status: number, code: AppErrorCode | "INTERNAL", message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

export function errorResponse(error: unknown): Response {
  const domain = error instanceof AppError ? error : databaseErrorAsAppError(error);
  if (domain) return apiError(HTTP_STATUS[domain.code], domain.code, domain.message);
  if (error instanceof ZodError) {
    return apiError(400, "BAD_INPUT", error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "));
  }
  console.error(error);
  return apiError(500, "INTERNAL", "Internal error");
}
