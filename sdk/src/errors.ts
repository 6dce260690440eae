/** Errors raised by the SDK. `errorCode` is the server's MLflow error code when it sent one. */

const CODE_BY_STATUS: Record<number, string> = {
  400: "INVALID_PARAMETER_VALUE",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "ENDPOINT_NOT_FOUND",
  408: "DEADLINE_EXCEEDED",
  409: "RESOURCE_CONFLICT",
  429: "REQUEST_LIMIT_EXCEEDED",
  500: "INTERNAL_ERROR",
  501: "NOT_IMPLEMENTED",
  502: "TEMPORARILY_UNAVAILABLE",
  503: "TEMPORARILY_UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

export interface TallyErrorInit {
  /** HTTP status, absent for network failures and client-side checks. */
  status?: number;
  /** True when the failure is transient (network, 408, 429, 5xx) and the request was retried to the limit. */
  retryable?: boolean;
  cause?: unknown;
}

export class TallyError extends Error {
  readonly errorCode: string;
  readonly status?: number;
  readonly retryable: boolean;

  constructor(errorCode: string, message: string, init: TallyErrorInit = {}) {
    super(`${errorCode}: ${message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "TallyError";
    this.errorCode = errorCode;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
  }

  /** The server's message without the code prefix. */
  get serverMessage(): string {
    return this.message.slice(this.errorCode.length + 2);
  }
}

/** The MLflow error code for a status when the body carried none. */
export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
}

/** Builds a TallyError from a failed response's status and (possibly non-JSON) body text. */
export function errorFromResponse(status: number, bodyText: string, retryable = false): TallyError {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const parsed = JSON.parse(bodyText) as unknown;
    if (parsed && typeof parsed === "object") {
      const body = parsed as Record<string, unknown>;
      if (typeof body.error_code === "string") code = body.error_code;
      if (typeof body.message === "string") message = body.message;
      // Tally's own REST API (/api/v1) answers {"error": {"code", "message"}}.
      const tallyError = body.error as Record<string, unknown> | undefined;
      if (tallyError && typeof tallyError === "object") {
        if (typeof tallyError.code === "string") code = tallyError.code;
        if (typeof tallyError.message === "string") message = tallyError.message;
      }
    }
  } catch {
    // not JSON: fall back to the status
  }
  const fallback = bodyText.trim().slice(0, 300) || `HTTP ${status}`;
  return new TallyError(code ?? codeForStatus(status), message ?? fallback, { status, retryable });
}
