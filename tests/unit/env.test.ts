import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { EnvError, oidcEnabled, parseEnv } from "@/lib/env";
import { webProcessCount } from "@/server/runtime/web-processes";

/** The EnvError thrown for `raw`, or a failure if it parses. */
function envError(raw: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return error as EnvError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

const GOOD_SECRET = "0123456789abcdef0123456789abcdef";

describe("parseEnv defaults", () => {
  it("starts with zero configuration", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      TALLY_HOME: "./.tally",
      TALLY_PG_PORT: 54320,
      TALLY_SIGNUP: "invite",
      TALLY_ADMIN_EMAILS: [],
      OIDC_DISPLAY_NAME: "Single sign-on",
    });
    // No database URL means the embedded PostgreSQL; no secret means a generated one; no SSO.
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TALLY_AUTH_SECRET).toBeUndefined();
    expect(env.TALLY_URL).toBeUndefined();
    expect(oidcEnabled(env)).toBe(false);
  });

  it("treats empty strings as unset", () => {
    const env = parseEnv({
      PORT: "",
      TALLY_SIGNUP: "",
      DATABASE_URL: "",
      TALLY_AUTH_SECRET: "",
      TALLY_ADMIN_EMAILS: "",
      OIDC_ISSUER: "",
      OIDC_CLIENT_ID: "",
      OIDC_CLIENT_SECRET: "",
    });
    expect(env.PORT).toBe(3000);
    expect(env.TALLY_SIGNUP).toBe("invite");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TALLY_AUTH_SECRET).toBeUndefined();
    expect(env.TALLY_ADMIN_EMAILS).toEqual([]);
    expect(oidcEnabled(env)).toBe(false);
  });

  it("reads good values", () => {
    const env = parseEnv({
      PORT: "8080",
      TALLY_PG_PORT: "6543",
      TALLY_SIGNUP: "open",
      DATABASE_URL: "postgres://tally:pw@db:5432/tally",
      TALLY_AUTH_SECRET: GOOD_SECRET,
      TALLY_ADMIN_EMAILS: " Ada@Example.TEST , grace@example.test,",
      TALLY_URL: "https://tally.example.test",
      OIDC_ISSUER: "https://id.example.test",
      OIDC_CLIENT_ID: "tally",
      OIDC_CLIENT_SECRET: "shh",
    });
    expect(env).toMatchObject({
      PORT: 8080,
      TALLY_PG_PORT: 6543,
      TALLY_SIGNUP: "open",
      DATABASE_URL: "postgres://tally:pw@db:5432/tally",
      TALLY_AUTH_SECRET: GOOD_SECRET,
      TALLY_ADMIN_EMAILS: ["ada@example.test", "grace@example.test"],
    });
    expect(oidcEnabled(env)).toBe(true);
    expect(parseEnv({ DATABASE_URL: "postgresql://localhost/tally" }).DATABASE_URL).toBe("postgresql://localhost/tally");
  });
});

describe("parseEnv refuses bad values and names each one", () => {
  it.each(["abc", "0", "65536", "3.5", "-1"])("bad PORT %j", (value) => {
    const error = envError({ PORT: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^PORT\b/);
    expect(error.message).toContain(`PORT (got "${value}")`);
  });

  it("bad TALLY_PG_PORT", () => {
    expect(envError({ TALLY_PG_PORT: "99999" }).message).toContain("TALLY_PG_PORT");
  });

  it("bad TALLY_SIGNUP, listing the allowed modes", () => {
    const error = envError({ TALLY_SIGNUP: "sometimes" });
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain('TALLY_SIGNUP (got "sometimes")');
    for (const mode of ["invite", "open", "closed"]) expect(error.message).toContain(mode);
  });

  it("short TALLY_AUTH_SECRET, without repeating it", () => {
    const secret = "too-short-secret-value";
    const error = envError({ TALLY_AUTH_SECRET: secret });
    expect(error.message).toContain("TALLY_AUTH_SECRET");
    expect(error.message).toMatch(/32 characters/);
    expect(error.message).not.toContain(secret);
  });

  it("accepts a TALLY_AUTH_SECRET of exactly 32 characters and refuses 31", () => {
    expect(parseEnv({ TALLY_AUTH_SECRET: GOOD_SECRET }).TALLY_AUTH_SECRET).toBe(GOOD_SECRET);
    expect(envError({ TALLY_AUTH_SECRET: GOOD_SECRET.slice(1) }).message).toContain("TALLY_AUTH_SECRET");
  });

  it.each([
    [{ OIDC_ISSUER: "https://id.example.test" }, ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"]],
    [{ OIDC_CLIENT_ID: "tally" }, ["OIDC_ISSUER", "OIDC_CLIENT_SECRET"]],
    [{ OIDC_CLIENT_SECRET: "client-secret-value" }, ["OIDC_ISSUER", "OIDC_CLIENT_ID"]],
    [{ OIDC_ISSUER: "https://id.example.test", OIDC_CLIENT_SECRET: "client-secret-value" }, ["OIDC_CLIENT_ID"]],
  ])("partial OIDC configuration %j names the missing variables %j", (raw, missing) => {
    const error = envError(raw);
    const named = error.problems.map((problem) => problem.split(/[ :]/)[0]);
    expect(named.sort()).toEqual([...missing].sort());
    expect(error.message).not.toContain("client-secret-value");
  });

  it("bad DATABASE_URL, without repeating the password in it", () => {
    const error = envError({ DATABASE_URL: "mysql://root:hunter2@db.example.test/tally" });
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain("DATABASE_URL");
    expect(error.message).toMatch(/postgres/);
    expect(error.message).not.toContain("hunter2");
    expect(error.message).toContain("db.example.test");
  });

  it("bad DATABASE_URL without credentials is shown as given", () => {
    expect(envError({ DATABASE_URL: "localhost:5432" }).message).toContain('DATABASE_URL (got "localhost:5432")');
  });

  it("bad TALLY_ADMIN_EMAILS", () => {
    const error = envError({ TALLY_ADMIN_EMAILS: "ada@example.test, not-an-email" });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^TALLY_ADMIN_EMAILS\b/);
    expect(error.message).toMatch(/email/);
  });

  it("bad TALLY_URL", () => {
    expect(envError({ TALLY_URL: "ftp://tally.example.test" }).message).toContain("TALLY_URL");
  });

  it("reports every bad variable at once", () => {
    const error = envError({ PORT: "x", TALLY_SIGNUP: "no", TALLY_AUTH_SECRET: "short", DATABASE_URL: "nope" });
    const named = error.problems.map((problem) => problem.split(/[ :]/)[0]).sort();
    expect(named).toEqual(["DATABASE_URL", "PORT", "TALLY_AUTH_SECRET", "TALLY_SIGNUP"]);
    expect(error.message.split("\n")).toHaveLength(5);
    expect(error.name).toBe("EnvError");
  });
});

describe("security settings", () => {
  it("defaults to no trusted proxy, no fixed setup token, an 8 MiB body limit and a 60 s statement timeout", () => {
    expect(parseEnv({})).toMatchObject({
      TALLY_TRUSTED_PROXIES: [],
      TALLY_MAX_BODY_MB: 8,
      TALLY_STATEMENT_TIMEOUT_MS: 60_000,
    });
    expect(parseEnv({}).TALLY_SETUP_TOKEN).toBeUndefined();
  });

  it("reads trusted proxies as addresses and CIDR ranges, and names a bad entry", () => {
    expect(parseEnv({ TALLY_TRUSTED_PROXIES: " 10.0.0.0/8, 192.0.2.7 ,::1,fd00::/8" }).TALLY_TRUSTED_PROXIES).toEqual([
      "10.0.0.0/8",
      "192.0.2.7",
      "::1",
      "fd00::/8",
    ]);
    const error = envError({ TALLY_TRUSTED_PROXIES: "10.0.0.1, proxy.internal" });
    expect(error.problems).toEqual([expect.stringMatching(/^TALLY_TRUSTED_PROXIES .*IP addresses or CIDR ranges/)]);
  });

  it("refuses a short setup token, a body limit that is not a positive number, and a statement timeout under 100 ms", () => {
    expect(envError({ TALLY_SETUP_TOKEN: "short" }).problems).toEqual([expect.stringMatching(/^TALLY_SETUP_TOKEN.*16 characters/)]);
    expect(envError({ TALLY_MAX_BODY_MB: "0" }).problems).toEqual([expect.stringMatching(/^TALLY_MAX_BODY_MB/)]);
    expect(envError({ TALLY_MAX_BODY_MB: "lots" }).problems).toEqual([expect.stringMatching(/^TALLY_MAX_BODY_MB/)]);
    expect(envError({ TALLY_STATEMENT_TIMEOUT_MS: "50" }).problems).toEqual([expect.stringMatching(/^TALLY_STATEMENT_TIMEOUT_MS/)]);
  });

  it("keeps webhooks off private networks and runs background jobs unless told otherwise", () => {
    expect(parseEnv({})).toMatchObject({ TALLY_WEBHOOK_ALLOW_PRIVATE: false, TALLY_BACKGROUND_JOBS: true });
    expect(parseEnv({ TALLY_WEBHOOK_ALLOW_PRIVATE: "true", TALLY_BACKGROUND_JOBS: "0" })).toMatchObject({
      TALLY_WEBHOOK_ALLOW_PRIVATE: true,
      TALLY_BACKGROUND_JOBS: false,
    });
    expect(envError({ TALLY_WEBHOOK_ALLOW_PRIVATE: "yes" }).problems).toEqual([expect.stringMatching(/^TALLY_WEBHOOK_ALLOW_PRIVATE.*true or false/)]);
  });

  it("runs one web process per core unless told a number, and one in development mode", () => {
    expect(webProcessCount(parseEnv({}), false)).toBe(availableParallelism());
    expect(webProcessCount(parseEnv({ TALLY_WEB_PROCESSES: "3" }), false)).toBe(3);
    expect(webProcessCount(parseEnv({ TALLY_WEB_PROCESSES: "3" }), true)).toBe(1);
    for (const bad of ["0", "1.5", "many", "65"]) {
      expect(envError({ TALLY_WEB_PROCESSES: bad }).problems).toEqual([expect.stringMatching(/^TALLY_WEB_PROCESSES/)]);
    }
  });

  it("never repeats the setup token in an error", () => {
    expect(envError({ TALLY_SETUP_TOKEN: "short-secret" }).message).not.toContain("short-secret");
  });
});

describe("observability settings", () => {
  it("logs at info and serves no /metrics unless told otherwise", () => {
    expect(parseEnv({}).TALLY_LOG_LEVEL).toBe("info");
    expect(parseEnv({}).TALLY_METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ TALLY_LOG_LEVEL: "debug", TALLY_METRICS_TOKEN: "a-long-metrics-token" })).toMatchObject({
      TALLY_LOG_LEVEL: "debug",
      TALLY_METRICS_TOKEN: "a-long-metrics-token",
    });
  });

  it("names an unknown log level and a short metrics token, without repeating the token", () => {
    expect(envError({ TALLY_LOG_LEVEL: "verbose" }).problems).toEqual([expect.stringMatching(/^TALLY_LOG_LEVEL/)]);
    const short = envError({ TALLY_METRICS_TOKEN: "tiny-token" });
    expect(short.problems).toEqual([expect.stringMatching(/^TALLY_METRICS_TOKEN.*16 characters/)]);
    expect(short.message).not.toContain("tiny-token");
  });
});
