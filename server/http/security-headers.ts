import { randomBytes } from "node:crypto";
import type { Env } from "@/lib/env";

type SecurityEnv = Pick<Env, "TALLY_URL" | "S3_ENDPOINT" | "S3_PUBLIC_ENDPOINT" | "S3_BUCKET" | "S3_FORCE_PATH_STYLE">;

export interface SecurityHeaders {
  "content-security-policy": string;
  "referrer-policy": string;
  "x-content-type-options": string;
  "x-frame-options": string;
  "strict-transport-security"?: string;
}

/**
 * Route handlers answer JSON, files and redirects: nothing in them may load, run or be framed. Tally's
 * HTTP server sets these before the handler runs; where a handler sets the same header (the artifact
 * routes' sandbox policy, also a sandbox), Next.js keeps the one already set, and so does the lean
 * API path (server/runtime/write-answer.ts).
 */
const ROUTE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Paths answered by route.ts files: the APIs, the probes and run and model-version artifacts, at the root and under a project. */
const ROUTE_HANDLER = /^(\/projects\/[^/]+)?\/(api|health|version)(\/|$)|^\/projects\/[^/]+\/(runs\/[^/]+|models\/[^/]+\/versions\/[^/]+)\/artifact$/;

export function servedByRouteHandler(pathname: string): boolean {
  return ROUTE_HANDLER.test(pathname);
}

/**
 * A page's headers with a fresh script nonce in its Content-Security-Policy. Next reads the nonce from
 * that header on the request and puts it on the scripts it renders; 'strict-dynamic' lets those load
 * the rest of the app. Images come from this origin (artifacts are streamed through it) or the S3
 * endpoint browsers are sent to, so markdown cannot load a tracking pixel from anywhere else.
 */
export function pageSecurityHeaders(env: SecurityEnv, mode: { development: boolean }): SecurityHeaders {
  const nonce = randomBytes(16).toString("base64");
  // React's development build evaluates code to rebuild server error stacks; production never does.
  const evaluation = mode.development ? " 'unsafe-eval'" : "";
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${evaluation}`,
    // Tremor and recharts (and virtualized tables) position and colour elements with inline styles.
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' data: blob:", ...s3ImageOrigins(env)].join(" "),
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return { ...commonHeaders(env), "content-security-policy": policy };
}

export function routeSecurityHeaders(env: SecurityEnv): SecurityHeaders {
  return { ...commonHeaders(env), "content-security-policy": ROUTE_POLICY };
}

function commonHeaders(env: SecurityEnv): Omit<SecurityHeaders, "content-security-policy"> {
  return {
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-content-type-options": "nosniff",
    // For browsers that predate frame-ancestors.
    "x-frame-options": "DENY",
    ...(env.TALLY_URL?.startsWith("https:") ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** Where presigned S3 URLs point: the public endpoint, and the bucket's own host for virtual-hosted-style URLs. */
function s3ImageOrigins(env: SecurityEnv): string[] {
  const endpoint = env.S3_PUBLIC_ENDPOINT ?? env.S3_ENDPOINT;
  if (!endpoint) return [];
  const url = new URL(endpoint);
  if (env.S3_FORCE_PATH_STYLE || !env.S3_BUCKET) return [url.origin];
  return [url.origin, `${url.protocol}//${env.S3_BUCKET}.${url.host}`];
}
