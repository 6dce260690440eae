import { z } from "zod";

/**
 * Every environment variable Tally reads, validated in one place. The README's configuration table
 * mirrors this schema; keep them together.
 */
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const port = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(fallback));

/** An http(s) URL naming only a server (S3 clients cannot use a path, query or fragment). */
const serverUrl = z.preprocess(
  emptyAsUndefined,
  z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL", abort: true })
    .refine((value) => /^https?:\/\/[^/?#]+\/?$/.test(value), "must be a server URL without a path, e.g. http://minio:9000")
    .optional(),
);
const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(["true", "false", "1", "0"], { error: "must be true or false" })
      .default(fallback ? "true" : "false")
      .transform((value) => value === "true" || value === "1"),
  );

/** A comma-separated list (empty when unset), each trimmed entry normalized and then checked. */
const commaList = (entry: z.ZodType<string, string>, normalize: (value: string) => string = (value) => value) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((value) =>
        (value ?? "")
          .split(",")
          .map((item) => normalize(item.trim()))
          .filter(Boolean),
      )
      .pipe(z.array(entry)),
  );

export const SIGNUP_MODES = ["invite", "open", "closed"] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const envSchema = z
  .object({
    PORT: port(3000),
    TALLY_HOME: z.preprocess(emptyAsUndefined, z.string().default("./.tally")),
    TALLY_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection URL")
        .optional(),
    ),
    TALLY_PG_PORT: port(54320),
    TALLY_AUTH_SECRET: z.preprocess(
      emptyAsUndefined,
      z.string().min(32, "must be at least 32 characters (try: openssl rand -hex 32)").optional(),
    ),
    TALLY_SIGNUP: z.preprocess(emptyAsUndefined, z.enum(SIGNUP_MODES).default("invite")),
    TALLY_ADMIN_EMAILS: commaList(z.email("must be a comma-separated list of email addresses"), (email) => email.toLowerCase()),
    /** Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For Tally believes. */
    TALLY_TRUSTED_PROXIES: commaList(
      z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], { error: "must be a comma-separated list of IP addresses or CIDR ranges" }),
    ),
    /** Asked for by /setup before the first account is created. */
    TALLY_SETUP_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
    /** Largest request body the APIs read, in MiB. */
    TALLY_MAX_BODY_MB: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(1024).default(8)),
    /** Longest a single database statement may run before PostgreSQL cancels it. */
    TALLY_STATEMENT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(3_600_000).default(60_000)),
    OIDC_ISSUER: z.preprocess(emptyAsUndefined, z.url().optional()),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_DISPLAY_NAME: z.preprocess(emptyAsUndefined, z.string().default("Single sign-on")),
    // Artifact storage: S3-compatible when S3_ENDPOINT is set, otherwise files in TALLY_HOME/artifacts.
    S3_ENDPOINT: serverUrl,
    S3_PUBLIC_ENDPOINT: serverUrl,
    S3_BUCKET: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
          "must be a valid bucket name: 3-63 lowercase letters, digits, dots and hyphens",
        )
        .optional(),
    ),
    S3_REGION: z.preprocess(emptyAsUndefined, z.string().default("us-east-1")),
    S3_ACCESS_KEY: optionalString,
    S3_SECRET_KEY: optionalString,
    S3_FORCE_PATH_STYLE: booleanFlag(true),
    /** Lets webhooks target loopback, private and link-local addresses (docs/webhooks.md). */
    TALLY_WEBHOOK_ALLOW_PRIVATE: booleanFlag(false),
    /** Web server processes on this machine; unset, one per core (docs/operations.md, "Processes"). */
    TALLY_WEB_PROCESSES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(64).optional()),
    /** Whether this process runs background work (webhook deliveries); false for web-only replicas. */
    TALLY_BACKGROUND_JOBS: booleanFlag(true),
    /** Least severe log level written (JSON lines on standard output). */
    TALLY_LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).default("info")),
    /** Bearer token Prometheus must send to /metrics; unset, /metrics does not exist. */
    TALLY_METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      for (const key of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "must be set when any of OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET is set",
          });
        }
      }
    }
    if (env.S3_ENDPOINT) {
      for (const key of ["S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "must be set when S3_ENDPOINT is set" });
      }
    } else if (env.S3_PUBLIC_ENDPOINT) {
      ctx.addIssue({ code: "custom", path: ["S3_PUBLIC_ENDPOINT"], message: "needs S3_ENDPOINT to be set too" });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses a raw environment; throws EnvError naming each bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const value = raw[name];
      const shown = value === undefined ? "" : ` (got "${redacted(name, value)}")`;
      return `${name}${shown}: ${issue.message}`;
    }),
  );
}

/** Error messages end up in logs: never repeat a secret, nor the password inside a connection URL. */
function redacted(name: string, value: string): string {
  if (name.includes("SECRET") || name.includes("TOKEN")) return "***";
  return value.replace(/(\/\/[^/?#@\s:]*:)[^@\s]*@/, "$1***@");
}

export function oidcEnabled(env: Env): boolean {
  return Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
}
