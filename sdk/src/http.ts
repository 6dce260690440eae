/**
 * One HTTP call with retries: exponential backoff with jitter on network errors, 408, 429 and 5xx
 * (except 501), honouring Retry-After; any other non-2xx throws a TallyError at once.
 */
import { TallyError, errorFromResponse } from "./errors.ts";

export interface RetryOptions {
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** First backoff delay (default 500 ms); doubles on each retry. */
  baseDelayMs?: number;
  /** Backoff ceiling (default 30 s). */
  maxDelayMs?: number;
  /** Longest Retry-After honoured (default 120 s); longer ones are capped. */
  maxRetryAfterMs?: number;
  /** Per-attempt timeout until the response headers arrive (default 120 s). */
  timeoutMs?: number;
}

export interface HttpDeps {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1): jitter source. */
  random: () => number;
}

export const defaultDeps: HttpDeps = {
  fetch: (...args) => globalThis.fetch(...args),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Query parameters; arrays repeat the key; undefined values are dropped. */
  query?: Record<string, string | number | string[] | undefined>;
  /** JSON body. */
  json?: unknown;
  /** Raw body factory, called once per attempt (a stream cannot be replayed). */
  body?: () => AsyncIterable<Uint8Array> | Uint8Array | string;
  headers?: Record<string, string>;
  /** Retries for this call (default from the client). 0 = a single attempt. */
  maxRetries?: number;
}

/** Statuses worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Backoff before retry number `attempt` (0-based): half fixed, half jitter, capped. */
export function backoffDelay(attempt: number, retry: Required<RetryOptions>, random: () => number): number {
  const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return Math.round(exp / 2 + random() * (exp / 2));
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  timeoutMs: 120_000,
};

export class HttpClient {
  readonly retry: Required<RetryOptions>;

  constructor(
    private readonly token: string | undefined,
    retry: RetryOptions = {},
    private readonly deps: HttpDeps = defaultDeps,
    private readonly userAgent = "tally-sdk-ts/0.1.0",
  ) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
  }

  /** Sends the request and returns the (2xx) response, body unread. */
  async request(url: string, options: RequestOptions = {}): Promise<Response> {
    const method = options.method ?? (options.json === undefined && options.body === undefined ? "GET" : "POST");
    const target = new URL(url);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) target.searchParams.append(key, String(item));
    }
    const headers: Record<string, string> = { "User-Agent": this.userAgent, ...options.headers };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (options.json !== undefined) headers["Content-Type"] = "application/json";
    const maxRetries = options.maxRetries ?? this.retry.maxRetries;

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        const init: RequestInit & { duplex?: "half" } = {
          method,
          headers,
          signal: AbortSignal.timeout(this.retry.timeoutMs),
        };
        if (options.json !== undefined) init.body = JSON.stringify(options.json);
        else if (options.body) {
          const body = options.body();
          init.body = body as NonNullable<RequestInit["body"]>;
          if (typeof body !== "string" && !(body instanceof Uint8Array)) init.duplex = "half";
        }
        response = await this.deps.fetch(target, init);
      } catch (cause) {
        if (attempt >= maxRetries) {
          throw new TallyError("NETWORK_ERROR", `${method} ${target.origin}${target.pathname}: ${describe(cause)}`, {
            retryable: true,
            cause,
          });
        }
        await this.deps.sleep(backoffDelay(attempt, this.retry, this.deps.random));
        continue;
      }
      if (response.ok) return response;
      const text = await response.text().catch(() => "");
      const retryable = isRetryableStatus(response.status);
      if (!retryable || attempt >= maxRetries) throw errorFromResponse(response.status, text, retryable);
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      const delay =
        retryAfter === undefined
          ? backoffDelay(attempt, this.retry, this.deps.random)
          : Math.min(retryAfter, this.retry.maxRetryAfterMs);
      await this.deps.sleep(delay);
    }
  }

  /** Request and parse a JSON object body (an empty body reads as {}). */
  async json<T = Record<string, unknown>>(url: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(url, options);
    const text = await response.text();
    if (!text.trim()) return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new TallyError("INVALID_RESPONSE", `expected JSON from ${new URL(url).pathname}, got: ${text.slice(0, 200)}`, {
        status: response.status,
        cause,
      });
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: string }).code;
      return `${error.message} (${code ?? cause.message})`;
    }
    return error.name === "TimeoutError" ? "request timed out" : error.message;
  }
  return String(error);
}
