import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Browser, BrowserContext } from "@playwright/test";

const root = path.resolve(import.meta.dirname, "../..");

export interface DemoInstance {
  url: string;
  projectUrl: string;
  /** A read/write API token of the demo project, for logging while the pages are open. */
  token: string;
  /** The instance's own PostgreSQL, for specs that bulk-seed rows no API writes quickly. */
  databaseUrl: string;
  stop(): Promise<void>;
}

export const OWNER = { email: "owner@example.test", password: "owner password 123" };
export const VIEWER = { email: "viewer@example.test", password: "viewer password 123" };
export const MEMBER = { email: "member@example.test", password: "member password 123" };
export const MAINTAINER = { email: "maintainer@example.test", password: "maintainer password 123" };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Tally of its own (own PostgreSQL, production build) filled by `npm run demo`, with an owner, a
 * maintainer, a member and a viewer, so these tests depend on no other spec and see exactly the demo a newcomer sees.
 */
export async function startDemoInstance(): Promise<DemoInstance> {
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/serve-test-instance.ts"], {
    cwd: root,
    env: { ...process.env, TALLY_TEST_PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  let instance: { url: string; databaseUrl: string } | undefined;
  for await (const line of createInterface({ input: server.stdout! })) {
    if (line.startsWith("TALLY_TEST_INSTANCE ")) {
      instance = JSON.parse(line.slice("TALLY_TEST_INSTANCE ".length)) as { url: string; databaseUrl: string };
      break;
    }
  }
  if (!instance) throw new Error("the demo instance did not start");
  const run = (script: string, ...args: string[]): string => {
    const result = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: instance!.databaseUrl },
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`${script} ${args.join(" ")}: ${result.stderr}`);
    return result.stdout.trim();
  };
  run("scripts/admin.ts", "create-user", "--email", OWNER.email, "--password", OWNER.password, "--admin");
  for (const account of [VIEWER, MEMBER, MAINTAINER]) run("scripts/admin.ts", "create-user", "--email", account.email, "--password", account.password);
  run("scripts/demo.ts", "--owner", OWNER.email, "--url", instance.url);
  run("scripts/admin.ts", "add-member", "--project", "demo", "--email", VIEWER.email, "--role", "viewer");
  run("scripts/admin.ts", "add-member", "--project", "demo", "--email", MEMBER.email, "--role", "member");
  run("scripts/admin.ts", "add-member", "--project", "demo", "--email", MAINTAINER.email, "--role", "maintainer");
  const token = run("scripts/admin.ts", "create-token", "--project", "demo", "--name", "e2e", "--scopes", "read,write");
  return {
    url: instance.url,
    projectUrl: `${instance.url}/projects/demo`,
    token,
    databaseUrl: instance.databaseUrl,
    stop: async () => {
      process.kill(-server.pid!, "SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    },
  };
}

/** A browser context signed in to `url` as `account`. */
export async function signedIn(browser: Browser, url: string, account: { email: string; password: string }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${url}/signin`);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.waitForURL(/\/projects/);
  await page.close();
  return context;
}
