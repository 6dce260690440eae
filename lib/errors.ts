/**
 * Domain errors thrown by services. Each edge (tRPC, REST, CLI) maps `code` to its own format, so
 * services never know which edge called them.
 */
export type AppErrorCode =
  | "BAD_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  /** The request body is larger than the configured limit (TALLY_MAX_BODY_MB). */
  | "PAYLOAD_TOO_LARGE"
  /** The database cancelled a statement that ran past TALLY_STATEMENT_TIMEOUT_MS. */
  | "TIMEOUT"
  /** The database cannot be reached right now (restarting, stopped, connection lost): worth retrying. */
  | "UNAVAILABLE"
  /** The disk (or quota) holding the artifact store is full: not worth retrying until someone frees space. */
  | "INSUFFICIENT_STORAGE";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/**
 * A move that needs approval: a promotion request now waits at `requestPath` (a path of the web
 * app). Edges that know their public address (the MLflow API) put the full URL in the message.
 */
export class ApprovalRequiredError extends AppError {
  constructor(
    readonly reason: string,
    readonly requestPath: string,
    origin = "",
  ) {
    super("FORBIDDEN", `${reason}: ${origin.replace(/\/$/, "")}${requestPath}`);
    this.name = "ApprovalRequiredError";
  }

  /** The same error with the request's full URL under `origin` (e.g. https://tally.example.com). */
  at(origin: string): ApprovalRequiredError {
    return new ApprovalRequiredError(this.reason, this.requestPath, origin);
  }
}

export const badInput = (message: string) => new AppError("BAD_INPUT", message);
export const unauthenticated = (message = "Sign-in or a valid API token is required") =>
  new AppError("UNAUTHENTICATED", message);
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
export const notFound = (message: string) => new AppError("NOT_FOUND", message);
export const conflict = (message: string) => new AppError("CONFLICT", message);
export const tooManyRequests = (message: string) => new AppError("TOO_MANY_REQUESTS", message);
export const payloadTooLarge = (message: string) => new AppError("PAYLOAD_TOO_LARGE", message);
export const timedOut = (message: string) => new AppError("TIMEOUT", message);
export const unavailable = (message: string) => new AppError("UNAVAILABLE", message);
export const insufficientStorage = (message: string) => new AppError("INSUFFICIENT_STORAGE", message);

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  PAYLOAD_TOO_LARGE: 413,
  TIMEOUT: 503,
  UNAVAILABLE: 503,
  INSUFFICIENT_STORAGE: 507,
};
