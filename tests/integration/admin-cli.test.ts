import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { ensureEmbeddedPostgres } from "@/server/runtime/embedded-postgres";
import { authenticateToken } from "@/server/services/api-tokens";
import { verifyPassword } from "@/server/services/users/password";
import { createTestProject, createTestUser, uniqueSuffix } from "../factories";

/**
 * The admin CLI as an operator runs it: a real process (`node --import tsx scripts/admin.ts`), its
 * exit code, stdout and stderr, and what it left in the database.
 */
const root = path.resolve(import.meta.dirname, "../..");
const TOKEN_LINE = /^tly_[0-9A-Za-z]{12}_[0-9A-Za-z]{32}$/;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `env` entries set to undefined are removed from the inherited environment. */
function admin(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
      cwd: root,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function freePort(): Promise<number> {
  for (;;) {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    // 54320 is the default of a developer's `npm start`; stay clear of it.
    if (port !== 54320) return port;
  }
}

describe("admin CLI", () => {
  it("creates an admin, a project they own, and a token that authenticates", async () => {
    const s = uniqueSuffix();
    const email = `cli-admin-${s}@example.test`;
    const slug = `cli-${s}`;
    const password = "a-long-enough-password";

    const user = await admin([
      ...["create-user", "--email", `CLI-Admin-${s}@Example.test`, "--password", password],
      ...["--name", "CLI Admin", "--admin"],
    ]);
    expect(user.stderr).not.toMatch(/error/);
    expect(user.code).toBe(0);
    expect(user.stdout).toBe(`Created account ${email} (instance admin).\n`);
    const row = await db().user.findUniqueOrThrow({ where: { email } });
    expect(row).toMatchObject({ name: "CLI Admin", isAdmin: true });
    expect(await verifyPassword(password, row.passwordHash!)).toBe(true);

    const project = await admin([
      ...["create-project", "--slug", slug, "--name", "CLI Project"],
      ...["--owner", email.toUpperCase()],
    ]);
    expect(project.code).toBe(0);
    expect(project.stdout).toBe(`Created project "${slug}" (CLI Project), owned by ${email}.\n`);
    const projectRow = await db().project.findUniqueOrThrow({
      where: { slug },
      include: { memberships: { select: { userId: true, role: true } } },
    });
    expect(projectRow.name).toBe("CLI Project");
    expect(projectRow.memberships).toEqual([{ userId: row.id, role: "OWNER" }]);

    const viewer = await createTestUser();
    const added = await admin(["add-member", "--project", slug, "--email", viewer.email, "--role", "viewer"]);
    expect(added.stderr).not.toMatch(/error/);
    expect(added.code).toBe(0);
    expect(added.stdout).toBe(`${viewer.email} is now VIEWER of project "${slug}".\n`);
    const membership = await db().membership.findFirstOrThrow({ where: { projectId: projectRow.id, userId: viewer.userId } });
    expect(membership.role).toBe("VIEWER");
    // The viewer's account was not created with a vouched-for email; the operator confirms it.
    expect((await db().user.findUniqueOrThrow({ where: { id: viewer.userId } })).emailVerifiedAt).toBeNull();
    const verified = await admin(["verify-email", "--email", viewer.email.toUpperCase()]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toBe(`The email of ${viewer.email} is verified.\n`);
    expect(await db().user.findUniqueOrThrow({ where: { id: viewer.userId } })).toMatchObject({ emailVerifiedBy: "admin" });
    expect((await admin(["verify-email", "--email", "nobody-here@example.test"])).code).toBe(1);
    expect(row.emailVerifiedBy).toBe("admin");
    const badRole = await admin(["add-member", "--project", slug, "--email", viewer.email, "--role", "emperor"]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/^error: --role: /);

    const created = await admin([
      ...["create-token", "--project", slug, "--name", "ci"],
      ...["--scopes", "read,write,read", "--expires-days", "30"],
    ]);
    expect(created.code).toBe(0);
    const lines = created.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(TOKEN_LINE);
    expect(created.stdout).toBe(`${lines[0]}\n`);
    expect(created.stderr).toMatch(/shown only once/);
    expect(created.stderr).not.toContain(lines[0]);

    const principal = await authenticateToken(lines[0]!);
    expect(principal.project.slug).toBe(slug);
    expect([...principal.scopes].sort()).toEqual(["read", "write"]);
    const expiresInDays = (principal.expiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(expiresInDays).toBeGreaterThan(29.9);
    expect(expiresInDays).toBeLessThanOrEqual(30);

    // Every change is audited as the CLI, in the same transactions as the changes.
    const audit = await db().auditEvent.findMany({
      where: { OR: [{ projectId: projectRow.id }, { resourceId: row.id, action: "user.create" }] },
      orderBy: { id: "asc" },
      select: { action: true, actorType: true, actorLabel: true, actorRole: true },
    });
    expect(audit.map((event) => event.action)).toEqual([
      "user.create",
      "project.create",
      "member.add",
      "member.add",
      "token.create",
    ]);
    for (const event of audit) {
      expect(event).toMatchObject({ actorType: "SYSTEM", actorLabel: "admin-cli", actorRole: "SYSTEM" });
    }
  });

  it("refuses bad command lines and refused operations with a clear message, and writes nothing", async () => {
    const s = uniqueSuffix();
    const owner = await createTestUser();
    const { project } = await createTestProject(owner);
    const emails = { badPassword: `cli-short-${s}@example.test`, badFlag: `cli-flag-${s}@example.test` };
    const slugs = { unknownOwner: `cli-noowner-${s}`, missing: `cli-missing-${s}` };

    const password = "a-long-enough-password";
    const cases: Array<{ args: string[]; code: number; stderr: string | RegExp; usage?: boolean }> = [
      {
        args: ["create-user", "--email", "not-an-email", "--password", password],
        code: 2,
        stderr: "error: --email: Enter a valid email address\n",
      },
      {
        args: ["create-user", "--email", emails.badPassword, "--password", "short"],
        code: 2,
        stderr: "error: --password: Password must be at least 10 characters\n",
      },
      {
        args: ["create-user", "--email", emails.badFlag, "--password", password, "--bogus"],
        code: 2,
        stderr: /^error: create-user: unknown flag --bogus\n/,
        usage: true,
      },
      {
        args: ["create-user", "--email", emails.badFlag],
        code: 2,
        stderr: /^error: create-user: missing --password\n/,
        usage: true,
      },
      {
        args: ["create-project", "--slug", "Bad_Slug", "--name", "X", "--owner", owner.email],
        code: 2,
        stderr: /^error: --slug: Slug may contain lowercase letters/,
      },
      {
        args: ["create-project", "--slug", project.slug, "--name", "Other", "--owner", owner.email],
        code: 1,
        stderr: `error: The slug "${project.slug}" is already taken\n`,
      },
      {
        args: ["create-project", "--slug", slugs.unknownOwner, "--name", "X", "--owner", `nobody-${s}@example.test`],
        code: 1,
        stderr: `error: No account exists for nobody-${s}@example.test\n`,
      },
      {
        args: ["create-token", "--project", slugs.missing, "--name", "ci", "--scopes", "read"],
        code: 1,
        stderr: `error: Project "${slugs.missing}" not found\n`,
      },
      {
        args: ["create-token", "--project", project.slug, "--name", "ci", "--scopes", "read,approve"],
        code: 2,
        stderr: 'error: --scopes: unknown scope "approve" (choose from read, write, promote)\n',
      },
      {
        args: ["create-token", "--project", project.slug, "--name", "ci", "--scopes", "read", "--expires-days", "0"],
        code: 2,
        stderr: "error: --expires-days: must be a whole number of days (1-3650)\n",
      },
      { args: ["frobnicate"], code: 2, stderr: /^error: unknown command "frobnicate"\n/, usage: true },
    ];
    // Independent processes: run them side by side to keep the suite fast.
    const results = await Promise.all(cases.map((testCase) => admin(testCase.args)));
    results.forEach((result, index) => {
      const testCase = cases[index]!;
      const label = testCase.args.join(" ");
      expect({ label, code: result.code }).toEqual({ label, code: testCase.code });
      expect(result.stdout, label).toBe("");
      if (typeof testCase.stderr === "string") expect(result.stderr, label).toBe(testCase.stderr);
      else expect(result.stderr, label).toMatch(testCase.stderr);
      if (testCase.usage) expect(result.stderr, label).toContain("Usage: npm run admin -- ");
    });

    expect(await db().user.count({ where: { email: { in: Object.values(emails) } } })).toBe(0);
    expect(await db().project.count({ where: { slug: { in: Object.values(slugs) } } })).toBe(0);
    expect(await db().project.findUniqueOrThrow({ where: { id: project.id } })).toMatchObject({ name: project.name });
    expect(await db().membership.count({ where: { projectId: project.id } })).toBe(1);
    expect(await db().apiToken.count({ where: { projectId: project.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("prints usage on --help and exits 0", async () => {
    const [general, command] = await Promise.all([admin(["--help"]), admin(["create-token", "--help"])]);
    expect(general.code).toBe(0);
    expect(general.stdout).toMatch(/^Usage: npm run admin -- <command>/);
    for (const name of ["create-user", "create-project", "add-member", "create-token"]) expect(general.stdout).toContain(name);
    expect(command.code).toBe(0);
    expect(command.stdout).toContain("--expires-days D");
  });

  it("without DATABASE_URL, uses TALLY_HOME's embedded PostgreSQL (its own, or the running one)", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "tally-admin-cli-"));
    // PostgreSQL runs as the `postgres` user and must traverse the folder (see startScratchPostgres).
    await chmod(home, 0o755);
    const port = await freePort();
    const env = { DATABASE_URL: undefined, TALLY_HOME: home, TALLY_PG_PORT: String(port) };
    const email = `cli-embedded-${uniqueSuffix()}@example.test`;
    const pidFile = path.join(home, "pg", "postmaster.pid");
    let running: Awaited<ReturnType<typeof ensureEmbeddedPostgres>> | undefined;
    try {
      const first = await admin(["create-user", "--email", email, "--password", "a-long-enough-password"], env);
      expect(first.stderr).toContain("Started the embedded PostgreSQL");
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(`Created account ${email} (instance admin: the first account).\n`);
      expect(existsSync(path.join(home, "pg", "PG_VERSION"))).toBe(true);
      expect(existsSync(pidFile)).toBe(false); // it stopped the server it started

      const again = await admin(["create-user", "--email", email, "--password", "a-long-enough-password"], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`error: An account for ${email} already exists\n`);
      expect(existsSync(pidFile)).toBe(false);

      // While something else (npm start) runs the embedded server, the CLI uses it and leaves it running.
      running = await ensureEmbeddedPostgres({ home, preferredPort: port });
      const other = `cli-embedded-${uniqueSuffix()}@example.test`;
      const reuse = await admin(["create-user", "--email", other, "--password", "a-long-enough-password"], env);
      expect(reuse.stderr).toContain(`Using the running embedded PostgreSQL on port ${running.port}`);
      expect(reuse.code).toBe(0);
      const client = new pg.Client({ connectionString: running.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ email: string; isAdmin: boolean }>(
          `SELECT email, "isAdmin" FROM "User" ORDER BY "createdAt"`,
        );
        expect(rows).toEqual([
          { email, isAdmin: true },
          { email: other, isAdmin: false },
        ]);
      } finally {
        await client.end();
      }
    } finally {
      await running?.stop();
      await rm(home, { recursive: true, force: true });
    }
  }, 90_000);
});
