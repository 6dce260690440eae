import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, request as http, test, type APIRequestContext, type APIResponse, type BrowserContext } from "@playwright/test";
import { watchCspViolations } from "./support/csp";
import { OWNER, signedIn, startDemoInstance, type DemoInstance } from "./support/demo-instance";

/**
 * Every kind of page and API response carries the security headers, each page its own script nonce,
 * a remote image in a run note is never fetched (no tracking pixel can see who reads it), and sign-in
 * never redirects off-site.
 */

let tally: DemoInstance;
let owner: BrowserContext;
let anonymous: APIRequestContext;

test.describe.configure({ mode: "serial" });
test.use({ actionTimeout: 15_000 });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  tally = await startDemoInstance();
  owner = await signedIn(browser, tally.url, OWNER);
  anonymous = await http.newContext();
});

test.afterAll(async () => {
  await anonymous?.dispose();
  await owner?.close();
  await tally?.stop();
});

/** Headers both pages and API responses carry (the instance runs over http: no HSTS). */
function expectCommonHeaders(response: APIResponse) {
  const headers = response.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["strict-transport-security"]).toBeUndefined();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
}

/** Checks a page response's headers; returns its script nonce. */
function expectPageHeaders(response: APIResponse): string {
  expectCommonHeaders(response);
  const policy = response.headers()["content-security-policy"]!;
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  for (const directive of [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "connect-src 'self'",
  ]) {
    expect(policy).toContain(directive);
  }
  expect(policy).not.toContain("unsafe-eval");
  return nonce!;
}

/** A rendered page: every script in the HTML carries the nonce of its own response. */
async function expectNoncedPage(client: APIRequestContext, url: string): Promise<string> {
  const response = await client.get(url, { maxRedirects: 0 });
  expect(response.status(), url).toBe(200);
  const nonce = expectPageHeaders(response);
  const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  return nonce;
}

async function demoRunIds(filter = ""): Promise<string[]> {
  const response = await owner.request.post(`${tally.projectUrl}/api/2.0/mlflow/runs/search`, {
    headers: { authorization: `Bearer ${tally.token}` },
    data: { experiment_ids: ["1"], filter, max_results: 2 },
  });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { runs: { info: { run_id: string } }[] };
  return body.runs.map((run) => run.info.run_id);
}

test("every page kind is served with the security headers and its own script nonce", async () => {
  const [first, second] = await demoRunIds();
  const project = tally.projectUrl;
  for (const url of ["/signin", "/signup", "/invite/not-a-token", "/no-such-page"]) {
    const response = await anonymous.get(`${tally.url}${url}`, { maxRedirects: 0 });
    expect([200, 404], url).toContain(response.status());
    expectPageHeaders(response);
  }
  expectPageHeaders(await anonymous.get(`${tally.url}/setup`, { maxRedirects: 0 }));

  const pages = [
    "/projects",
    "/projects/demo",
    "/projects/demo/experiments",
    "/projects/demo/experiments/1",
    `/projects/demo/runs/${first}`,
    `/projects/demo/compare?runs=${first},${second}`,
    "/projects/demo/settings",
    "/projects/demo/settings/members",
  ];
  for (const url of pages) await expectNoncedPage(owner.request, `${tally.url}${url}`);
  const nonces = new Set([await expectNoncedPage(anonymous, `${tally.url}/signin`), await expectNoncedPage(anonymous, `${tally.url}/signin`)]);
  expect(nonces.size).toBe(2);

  for (const url of [`${tally.url}/api/health`, `${project}/health`, `${tally.url}/api/auth/session`]) {
    expectCommonHeaders(await anonymous.get(url));
  }
  const api = await anonymous.get(`${project}/api/2.0/mlflow/experiments/get?experiment_id=1`, {
    headers: { authorization: `Bearer ${tally.token}` },
  });
  expect(api.status()).toBe(200);
  expectCommonHeaders(api);
});

test("sign-in sends a signed-in user to a path on this site only", async () => {
  for (const target of ["/.//evil.com", "/./\\evil.com", "/%2F%2Fevil.com", "/\t/evil.com", "https://evil.com"]) {
    const response = await owner.request.get(`${tally.url}/signin?callbackUrl=${encodeURIComponent(target)}`, { maxRedirects: 0 });
    expect(response.status(), target).toBe(307);
    expect(response.headers().location, target).toBe("/projects");
  }
  const kept = await owner.request.get(`${tally.url}/signin?callbackUrl=${encodeURIComponent("/projects/demo?tab=runs")}`, {
    maxRedirects: 0,
  });
  expect(kept.headers().location).toBe("/projects/demo?tab=runs");
});

test("an artifact keeps its sandboxing policy", async () => {
  const [runId] = await demoRunIds("attributes.run_name = 'convnext-tiny-flip-crop'");
  const response = await owner.request.get(`${tally.projectUrl}/runs/${runId}/artifact?path=plots/confusion_matrix.png`);
  expect(response.status()).toBe(200);
  expectCommonHeaders(response);
  const policy = response.headers()["content-security-policy"];
  expect(policy).toContain("sandbox");
  expect(policy).toContain("default-src 'none'");
});

test("a remote image in a note is never fetched, and the page keeps working", async () => {
  // A pixel server that would see each reader, and the closed port 9 of the original report.
  const hits: string[] = [];
  const pixels = createServer((request, response) => {
    hits.push(request.url ?? "");
    response.writeHead(200, { "content-type": "image/png" }).end();
  });
  await new Promise<void>((resolve) => pixels.listen(0, "127.0.0.1", resolve));
  const remoteHosts = ["127.0.0.1:9", `127.0.0.1:${(pixels.address() as AddressInfo).port}`];
  const page = await owner.newPage();
  const violations = watchCspViolations(owner);
  // Playwright reports a request that CSP blocks too, as one that failed with the error "csp".
  const remote: { url: string; error?: string }[] = [];
  page.on("requestfailed", (request) => remote.push({ url: request.url(), error: request.failure()?.errorText }));
  page.on("requestfinished", (request) => remote.push({ url: request.url() }));
  const toRemote = () => remote.filter(({ url }) => remoteHosts.includes(new URL(url).host));

  const [runId] = await demoRunIds();
  await page.goto(`${tally.projectUrl}/runs/${runId}`);
  await page.getByRole("button", { name: "Edit note" }).click();
  await page.getByLabel("Note (markdown)").fill(`## Pixel\n\n${remoteHosts.map((host) => `![x](http://${host}/pixel.png)`).join("\n")}`);
  await page.getByRole("button", { name: "Save note" }).click();
  await expect(page.getByRole("heading", { name: "Pixel" })).toBeVisible();
  const images = page.locator(".prose-tally img");
  await expect(images).toHaveCount(2);
  await expect.poll(() => images.evaluateAll((elements) => elements.every((element) => (element as HTMLImageElement).complete))).toBe(true);
  // Each image is refused, whatever the number of times React renders it (a save renders the note again).
  const refused = () => remoteHosts.filter((host) => violations.some((message) => message.includes(`http://${host}/pixel.png`)));
  await expect.poll(refused).toEqual(remoteHosts);
  expect(new Set(toRemote().map(({ url }) => new URL(url).host))).toEqual(new Set(remoteHosts));
  expect(toRemote().every(({ error }) => error === "csp")).toBe(true);

  await page.reload();
  await expect(page.getByRole("heading", { name: "Pixel" })).toBeVisible();
  await expect(page.locator('[data-testid^="metric-chart-"]').first()).toBeVisible();
  expect(toRemote().every(({ error }) => error === "csp")).toBe(true);
  expect(hits).toEqual([]);
  await page.close();
  await new Promise((resolve) => pixels.close(resolve));
});
