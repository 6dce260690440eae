import { ZodError } from "zod";
import { AppError, type AppErrorCode } from "@/lib/errors";
import { databaseErrorAsAppError } from "@/server/db/errors";
import { logger } from "@/server/observability/logger";
import { currentRequestId } from "@/server/observability/request-context";
import { responseOfAnswer, type ApiCall, type PlainAnswer } from "../api-call";
import { jsonAnswer } from "../json";

/** MLflow's error body and status per code (docs/mlflow-compat.md, "Errors"). */
const MLFLOW_ERRORS: Record<AppErrorCode, { code: string; status: number }> = {
  BAD_INPUT: { code: "INVALID_PARAMETER_VALUE", status: 400 },
  UNAUTHENTICATED: { code: "UNAUTHENTICATED", status: 401 },
  FORBIDDEN: { code: "PERMISSION_DENIED", status: 403 },
  NOT_FOUND: { code: "RESOURCE_DOES_NOT_EXIST", status: 404 },
  CONFLICT: { code: "RESOURCE_ALREADY_EXISTS", status: 400 },
  TOO_MANY_REQUESTS: { code: "REQUEST_LIMIT_EXCEEDED", status: 429 },
  PAYLOAD_TOO_LARGE: { code: "REQUEST_LIMIT_EXCEEDED", status: 413 },
  TIMEOUT: { code: "TEMPORARILY_UNAVAILABLE", status: 503 },
  // The mlflow client retries 503 (with backoff) and surfaces 507 at once.
  UNAVAILABLE: { code: "TEMPORARILY_UNAVAILABLE", status: 503 },
  INSUFFICIENT_STORAGE: { code: "RESOURCE_EXHAUSTED", status: 507 },
};

/**
 * MLflow's error body, plus `request_id` (the answer's X-Request-Id, also in the server's log line):
 * MLflow clients read only `error_code` and `message` and ignore other fields.
 */
export function mlflowErrorAnswer(status: number, code: string, message: string, headers: Record<string, string> = {}): PlainAnswer {
  const requestId = currentRequestId();
  const body = JSON.stringify({ error_code: code, message, ...(requestId ? { request_id: requestId } : {}) });
  return { status, headers: { "content-type": "application/json", ...headers }, body };
}

export function mlflowError(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  return responseOfAnswer(mlflowErrorAnswer(status, code, message, headers));
}

/** A batch of 1000 bad points should not answer with 1000 messages. */
const MAX_ISSUES_SHOWN = 5;

export function mlflowErrorAnswerOf(error: unknown): PlainAnswer {
  const domain = error instanceof AppError ? error : databaseErrorAsAppError(error);
  if (domain) {
    const { code, status } = MLFLOW_ERRORS[domain.code];
    return mlflowErrorAnswer(status, code, domain.message);
  }
  if (error instanceof ZodError) {
    const shown = error.issues
      .slice(0, MAX_ISSUES_SHOWN)
      .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message));
    const more = error.issues.length - shown.length;
    const message = shown.join("; ") + (more > 0 ? `; and ${more} more problem${more > 1 ? "s" : ""}` : "");
    return mlflowErrorAnswer(400, "INVALID_PARAMETER_VALUE", message);
  }
  logger().error({ err: error }, "MLflow API request failed");
  return mlflowErrorAnswer(500, "INTERNAL_ERROR", "Internal error");
}

export function mlflowErrorResponse(error: unknown): Response {
  return responseOfAnswer(mlflowErrorAnswerOf(error));
}

/** MLflow answers success with HTTP 200 exactly; anything else is an error to its client. */
export function mlflowJsonAnswer(body: unknown): PlainAnswer {
  return jsonAnswer(body, 200);
}

export function mlflowJson(body: unknown): Response {
  return responseOfAnswer(mlflowJsonAnswer(body));
}

/**
 * The request's fields: the query string for GET (a repeated key becomes a list, as the client sends
 * repeated proto fields), the JSON body otherwise.
 */
export async function readMlflowInput(call: ApiCall, maxBodyBytes: number): Promise<Record<string, unknown>> {
  if (call.method === "GET") {
    const params = new URL(call.url).searchParams;
    const input: Record<string, unknown> = {};
    for (const key of new Set(params.keys())) {
      const values = params.getAll(key);
      input[key] = values.length > 1 ? values : values[0];
    }
    return input;
  }
  const text = (await call.bytesWithin(maxBodyBytes)).toString("utf8");
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError("BAD_INPUT", "Request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AppError("BAD_INPUT", "Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}
