import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { resolveProjectAccess } from "@/server/services/access";
import { authenticateToken } from "@/server/services/api-tokens";
import { cacheGeneration } from "@/server/services/cache-invalidation";
import { deleteProject } from "@/server/services/projects";
import { createProjectWithToken, systemActor } from "../factories";

/**
 * Each app process keeps verified tokens for a while; a change committed by another process reaches
 * it as a PostgreSQL notification (server/services/cache-invalidation). "Another process" here is a
 * connection of its own, doing what another replica's revocation does.
 */

/** Waits until `check` holds, for at most `ms`; returns how long it took. */
async function within(ms: number, check: () => Promise<boolean> | boolean): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

const refused = (plaintext: string) =>
  authenticateToken(plaintext).then(
    () => false,
    () => true,
  );

/** Revokes the token from another connection: the row, and (unless told not to) the notification. */
async function revokeElsewhere(tokenId: string, options: { notify: boolean }) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`UPDATE "ApiToken" SET "revokedAt" = now() WHERE id = $1`, [tokenId]);
    if (options.notify) {
      await client.query("SELECT pg_notify('tally_cache_invalidation', $1)", [JSON.stringify({ kind: "token", tokenId })]);
    }
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

/** A token this process has verified and is now keeping in its cache. */
async function cachedToken() {
  const made = await createProjectWithToken("OWNER");
  await authenticateToken(made.plaintext);
  await within(10_000, () => cacheGeneration() !== null);
  await authenticateToken(made.plaintext);
  return made;
}

beforeAll(async () => {
  // The first verification starts this process's listener.
  await createProjectWithToken("OWNER").then((made) => authenticateToken(made.plaintext));
  await within(10_000, () => cacheGeneration() !== null);
});

describe("token cache invalidation", () => {
  it("keeps serving a cached token when nobody announces a change (the TTL is the backstop)", async () => {
    const { token, plaintext } = await cachedToken();
    await revokeElsewhere(token.id, { notify: false });
    expect(await refused(plaintext)).toBe(false);
  });

  it("refuses a token revoked by another process within a second of the commit", async () => {
    const { token, plaintext } = await cachedToken();
    await revokeElsewhere(token.id, { notify: true });
    expect(await within(1_000, () => refused(plaintext))).toBeLessThan(1_000);
  });

  it("forgets every cached token when its connection drops, and listens again", async () => {
    const { token, plaintext } = await cachedToken();
    // Revoked while nobody could have heard it: only forgetting everything on reconnect catches this.
    await revokeElsewhere(token.id, { notify: false });
    expect(await refused(plaintext)).toBe(false);
    await db().$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = ${`tally-cache-invalidation ${process.pid}`}`;
    await within(5_000, () => refused(plaintext));

    await within(10_000, () => cacheGeneration() !== null);
    const next = await cachedToken();
    await revokeElsewhere(next.token.id, { notify: true });
    await within(1_000, () => refused(next.plaintext));
  });

  it("refuses a deleted project's tokens at once", async () => {
    const { project, plaintext } = await cachedToken();
    await deleteProject(await resolveProjectAccess(systemActor, project.slug), project.slug);
    expect(await refused(plaintext)).toBe(true);
  });
});
