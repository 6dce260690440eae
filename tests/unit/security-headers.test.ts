import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { pageSecurityHeaders, routeSecurityHeaders, servedByRouteHandler } from "@/server/http/security-headers";

const S3 = { S3_BUCKET: "artifacts", S3_ACCESS_KEY: "key", S3_SECRET_KEY: "secret" };
const production = { development: false };

/** The directives of a CSP as a map from name to its sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  );
}

const pagePolicy = (raw: Record<string, string>, mode = production) =>
  directives(pageSecurityHeaders(parseEnv(raw), mode)["content-security-policy"]);
const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)?.[1];

describe("page security headers", () => {
  it("gives every call its own nonce, used by script-src with 'strict-dynamic'", () => {
    const first = pageSecurityHeaders(parseEnv({}), production)["content-security-policy"];
    const second = pageSecurityHeaders(parseEnv({}), production)["content-security-policy"];
    const nonce = nonceOf(first);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22,}={0,2}$/);
    expect(nonceOf(second)).not.toBe(nonce);
    expect(directives(first).get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
  });

  it("locks down framing, plugins, base URIs, forms and connections", () => {
    const policy = pagePolicy({});
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it("allows images from this origin, data: and blob: only, without S3", () => {
    expect(pagePolicy({}).get("img-src")).toEqual(["'self'", "data:", "blob:"]);
  });

  it("adds the S3 public endpoint's origin to img-src, else S3_ENDPOINT's", () => {
    const both = { ...S3, S3_ENDPOINT: "http://minio:9000", S3_PUBLIC_ENDPOINT: "https://files.example.com/" };
    expect(pagePolicy(both).get("img-src")).toEqual(["'self'", "data:", "blob:", "https://files.example.com"]);
    expect(pagePolicy({ ...S3, S3_ENDPOINT: "http://localhost:9000" }).get("img-src")).toEqual([
      "'self'",
      "data:",
      "blob:",
      "http://localhost:9000",
    ]);
  });

  it("adds the bucket's own host when S3 uses virtual-hosted-style URLs", () => {
    const virtual = { ...S3, S3_ENDPOINT: "https://s3.eu-west-1.amazonaws.com", S3_FORCE_PATH_STYLE: "false" };
    expect(pagePolicy(virtual).get("img-src")).toEqual([
      "'self'",
      "data:",
      "blob:",
      "https://s3.eu-west-1.amazonaws.com",
      "https://artifacts.s3.eu-west-1.amazonaws.com",
    ]);
  });

  it("allows 'unsafe-eval' only in development", () => {
    expect(pagePolicy({}).get("script-src")).not.toContain("'unsafe-eval'");
    expect(pagePolicy({}, { development: true }).get("script-src")).toContain("'unsafe-eval'");
  });

  it("sends the fallback headers", () => {
    const headers = pageSecurityHeaders(parseEnv({}), production);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });

  it("sends HSTS only when TALLY_URL is https", () => {
    const hsts = (raw: Record<string, string>) => pageSecurityHeaders(parseEnv(raw), production)["strict-transport-security"];
    expect(hsts({ TALLY_URL: "https://tally.example.com" })).toBe("max-age=31536000; includeSubDomains");
    expect(hsts({ TALLY_URL: "http://tally.example.com" })).toBeUndefined();
    expect(hsts({})).toBeUndefined();
    expect(routeSecurityHeaders(parseEnv({ TALLY_URL: "https://tally.example.com" }))["strict-transport-security"]).toBe(
      "max-age=31536000; includeSubDomains",
    );
  });
});

describe("route handler security headers", () => {
  it("forbid framing and sniffing and keep the artifact routes' sandbox", () => {
    const headers = routeSecurityHeaders(parseEnv({}));
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    const policy = directives(headers["content-security-policy"]);
    expect(policy.get("default-src")).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.has("sandbox")).toBe(true);
  });
});

/** A URL that `file` (under app/) answers: route groups dropped, parameters filled in. */
function sampleUrl(file: string): string {
  const segments = path
    .dirname(file)
    .split(path.sep)
    .filter((segment) => segment !== "." && !/^\(.*\)$/.test(segment))
    .map((segment) => (segment.startsWith("[...") ? "a/b" : segment.startsWith("[") ? "x1" : segment));
  return `/${segments.join("/")}`;
}

describe("servedByRouteHandler", () => {
  const appDir = path.resolve(import.meta.dirname, "../../app");
  const files = readdirSync(appDir, { recursive: true, encoding: "utf8" });
  const routes = files.filter((file) => path.basename(file) === "route.ts").map(sampleUrl);
  const pages = files.filter((file) => path.basename(file) === "page.tsx").map(sampleUrl);

  it("finds the app's route handlers and pages", () => {
    expect(routes).toContain("/api/trpc/x1");
    expect(pages).toContain("/projects/x1/runs/x1");
  });

  it.each(routes)("knows %s is a route handler (it sets its own headers)", (url) => {
    expect(servedByRouteHandler(url)).toBe(true);
  });

  it.each(pages)("knows %s is a page", (url) => {
    expect(servedByRouteHandler(url)).toBe(false);
  });
});
