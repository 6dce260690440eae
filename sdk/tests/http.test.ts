import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TallyError } from "../src/errors.ts";
import { DEFAULT_RETRY, HttpClient, backoffDelay, parseRetryAfter } from "../src/http.ts";
import { FakeTally, closedPort } from "./support/fake-server.ts";

let fake: FakeTally;
beforeAll(async () => {
  fake = await new FakeTally().start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests = [];
  fake.injected = [];
});

/** A client whose sleeps are recorded, not slept; jitter fixed at `random`. */
function client(random = 0.5, retry = {}) {
  const sleeps: number[] = [];
  const http = new HttpClient(fake.token, { baseDelayMs: 100, maxDelayMs: 1000, ...retry }, {
    fetch: (...args) => fetch(...args),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => random,
  });
  return { http, sleeps };
}

const whoami = () => `${fake.url.replace(/\/projects\/demo$/, "")}/api/v1/whoami`;

describe("backoff", () => {
  it("doubles from the base, with half the delay jittered, up to the cap", () => {
    const retry = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, retry, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, retry, () => 0.999999))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("parses Retry-After seconds and dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("HttpClient retries", () => {
  it("retries 503s with exponential backoff, then succeeds", async () => {
    const { http, sleeps } = client(0.5);
    fake.injected.push({ status: 503 }, { status: 502, body: "<html>bad gateway</html>" }, { status: 500 });
    const body = await http.json(whoami());
    expect(body).toMatchObject({ project: { slug: "demo" } });
    expect(sleeps).toEqual([75, 150, 300]);
    expect(fake.requests).toHaveLength(4);
  });

  it("honours Retry-After on 429 (capped by maxRetryAfterMs)", async () => {
    const { http, sleeps } = client(0.5, { maxRetryAfterMs: 5000 });
    fake.injected.push(
      { status: 429, headers: { "retry-after": "2" }, body: JSON.stringify({ error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" }) },
      { status: 429, headers: { "retry-after": "60" } },
      { status: 503, headers: { "retry-after": "1" } },
    );
    await http.json(whoami());
    expect(sleeps).toEqual([2000, 5000, 1000]);
  });

  it("retries dropped connections and connection refused, then reports NETWORK_ERROR as retryable", async () => {
    const { http, sleeps } = client(0, { maxRetries: 2 });
    fake.injected.push({ drop: true });
    await http.json(whoami());
    expect(sleeps).toEqual([50]);

    const port = await closedPort();
    const refused = client(0, { maxRetries: 3 });
    const error = await refused.http.json(`http://127.0.0.1:${port}/api/v1/whoami`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TallyError);
    expect(error).toMatchObject({ errorCode: "NETWORK_ERROR", retryable: true });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(refused.sleeps).toEqual([50, 100, 200]);
  });

  it("gives up after maxRetries on persistent 503 with a retryable TallyError", async () => {
    const { http, sleeps } = client(0, { maxRetries: 2 });
    fake.injected.push({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const error = await http.json(whoami()).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: "TEMPORARILY_UNAVAILABLE", status: 503, retryable: true });
    expect(sleeps).toHaveLength(2);
    expect(fake.requests).toHaveLength(3);
  });

  it("never retries other 4xx (nor 501) and maps the server's error_code and message", async () => {
    const { http, sleeps } = client();
    fake.injected.push({ status: 400, body: JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: "bad key" }) });
    const error = (await http.json(whoami()).catch((e: unknown) => e)) as TallyError;
    expect(error).toBeInstanceOf(TallyError);
    expect(error.errorCode).toBe("INVALID_PARAMETER_VALUE");
    expect(error.serverMessage).toBe("bad key");
    expect(error.message).toBe("INVALID_PARAMETER_VALUE: bad key");
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);

    fake.injected.push({ status: 501, body: JSON.stringify({ error_code: "NOT_IMPLEMENTED", message: "no" }) });
    await expect(http.json(whoami())).rejects.toMatchObject({ errorCode: "NOT_IMPLEMENTED", status: 501 });
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });

  it("maps non-JSON error bodies by status", async () => {
    const { http } = client();
    fake.injected.push({ status: 401, body: "nope" }, { status: 403, body: "" }, { status: 404, body: "<html>404</html>" });
    await expect(http.json(whoami())).rejects.toMatchObject({ errorCode: "UNAUTHENTICATED", status: 401 });
    await expect(http.json(whoami())).rejects.toMatchObject({ errorCode: "PERMISSION_DENIED", status: 403 });
    await expect(http.json(whoami())).rejects.toMatchObject({ errorCode: "ENDPOINT_NOT_FOUND", status: 404 });
  });

  it("sends the bearer token", async () => {
    const { http } = client();
    await http.json(whoami());
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer tly_test");
    const anonymous = new HttpClient("wrong");
    await expect(anonymous.json(whoami())).rejects.toMatchObject({ errorCode: "UNAUTHENTICATED" });
  });
});
