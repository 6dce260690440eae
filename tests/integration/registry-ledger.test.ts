import { spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as holdersRoute } from "@/app/api/v1/projects/[slug]/models/[name]/holders/route";
import { db } from "@/server/db/client";
import { resolveProjectAccess, type ProjectAccess } from "@/server/services/access";
import {
  createModelVersion,
  createRegisteredModel,
  renameRegisteredModel,
  verifyLedger,
} from "@/server/services/registry";
import { deleteModelAlias, setModelAlias, transitionModelVersionStage } from "@/server/services/promotions";
import { callerFor, createProjectWithToken, systemActor, trpcErrorOf, uniqueSuffix } from "../factories";

/** The registry history as a hash chain (tamper evidence) and as a record of who held what, when. */

const root = path.resolve(import.meta.dirname, "../..");
let project: Awaited<ReturnType<typeof createProjectWithToken>>;
let access: ProjectAccess;

beforeAll(async () => {
  project = await createProjectWithToken("MEMBER", ["read"]);
  access = await resolveProjectAccess(systemActor, project.project.slug);
});

async function modelWithVersions(count: number): Promise<string> {
  const name = `ledger-${uniqueSuffix()}`;
  await createRegisteredModel(access, { name });
  for (let i = 0; i < count; i++) await createModelVersion(access, name, { source: `mlflow-artifacts:/m/${i}` });
  return name;
}

/** A moment strictly between the changes before and after it (history times have millisecond precision). */
async function moment(): Promise<Date> {
  await sleep(5);
  const at = new Date();
  await sleep(5);
  return at;
}

function admin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the registry ledger", () => {
  it("links every history row to the one before it, and stays one chain under concurrent writers", async () => {
    const { project: own } = await createProjectWithToken("OWNER", ["read"]);
    const ownAccess = await resolveProjectAccess(systemActor, own.slug);
    const names = Array.from({ length: 6 }, () => `chain-${uniqueSuffix()}`);
    await Promise.all(names.map((name) => createRegisteredModel(ownAccess, { name })));
    await Promise.all(names.map((name) => createModelVersion(ownAccess, name, { source: "mlflow-artifacts:/x" })));

    const rows = await db().registryEvent.findMany({ where: { projectId: own.id }, orderBy: { id: "asc" } });
    expect(rows).toHaveLength(12);
    rows.forEach((row, index) => {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.prevHash).toBe(index === 0 ? null : rows[index - 1]!.hash);
    });
    const verified = await verifyLedger(ownAccess);
    expect(verified).toMatchObject({ rows: 12, head: rows.at(-1)!.hash, firstBroken: null });
  });

  it("names the first edited row, the row after a deleted one, and a removed head", async () => {
    const { project: own } = await createProjectWithToken("OWNER", ["read"]);
    const ownAccess = await resolveProjectAccess(systemActor, own.slug);
    const name = `tamper-${uniqueSuffix()}`;
    await createRegisteredModel(ownAccess, { name });
    await createModelVersion(ownAccess, name, { source: "mlflow-artifacts:/x" });
    await transitionModelVersionStage(ownAccess, name, 1, { stage: "Staging", archiveExisting: false });
    await transitionModelVersionStage(ownAccess, name, 1, { stage: "Production", archiveExisting: false });
    await setModelAlias(ownAccess, name, "champion", 1);
    const rows = await db().registryEvent.findMany({ where: { projectId: own.id }, orderBy: { id: "asc" } });

    // Someone with SQL access rewrites who moved version 1 to Production.
    await db().$executeRaw`UPDATE "RegistryEvent" SET "actorLabel" = 'someone-else' WHERE "id" = ${rows[3]!.id}`;
    expect((await verifyLedger(ownAccess)).firstBroken).toMatchObject({ id: rows[3]!.id.toString(), kind: "version.stage", problem: "content-changed" });
    const cli = await admin(["verify-ledger", "--project", own.slug]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`is broken at row ${rows[3]!.id} (version.stage, model ${name} v1`);
    expect(cli.stderr).toContain("its content was changed");

    // Undone, the chain verifies again; then a row in the middle disappears.
    await db().$executeRaw`UPDATE "RegistryEvent" SET "actorLabel" = ${rows[3]!.actorLabel} WHERE "id" = ${rows[3]!.id}`;
    expect((await verifyLedger(ownAccess)).firstBroken).toBeNull();
    await db().$executeRaw`DELETE FROM "RegistryEvent" WHERE "id" = ${rows[2]!.id}`;
    expect((await verifyLedger(ownAccess)).firstBroken).toMatchObject({ id: rows[3]!.id.toString(), problem: "link-broken" });

    // Removing the newest row leaves a valid chain: only a head recorded earlier reveals it.
    const { project: other } = await createProjectWithToken("OWNER", ["read"]);
    const otherAccess = await resolveProjectAccess(systemActor, other.slug);
    const otherName = `head-${uniqueSuffix()}`;
    await createRegisteredModel(otherAccess, { name: otherName });
    await createModelVersion(otherAccess, otherName, { source: "mlflow-artifacts:/x" });
    const otherHead = (await verifyLedger(otherAccess)).head!;
    expect((await verifyLedger(otherAccess, { expectHead: otherHead })).expectedHeadFound).toBe(true);
    await db().$executeRaw`DELETE FROM "RegistryEvent" WHERE "hash" = ${otherHead}`;
    const truncated = await verifyLedger(otherAccess, { expectHead: otherHead });
    expect(truncated).toMatchObject({ rows: 1, firstBroken: null, expectedHeadFound: false });
    const cliHead = await admin(["verify-ledger", "--project", other.slug, "--expect-head", otherHead]);
    expect(cliHead.code).toBe(1);
    expect(cliHead.stderr).toContain("is no longer in the chain");
  });

  it("prints the head of an intact chain and refuses a malformed head", async () => {
    const name = await modelWithVersions(1);
    const intact = await admin(["verify-ledger", "--project", project.project.slug]);
    expect(intact.code).toBe(0);
    const { head } = await verifyLedger(access);
    expect(intact.stdout).toMatch(new RegExp(`^Ledger of project "${project.project.slug}" is intact: \\d+ row\\(s\\)\\. Head: ${head}\\n$`));
    const bad = await admin(["verify-ledger", "--project", project.project.slug, "--expect-head", "abc"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--expect-head: must be a SHA-256 digest");
    expect(name).toBeTruthy();
  });
});

describe("time travel", () => {
  const holders = (slug: string, name: string, query: string, token = project.plaintext) =>
    holdersRoute(new Request(`http://t/api/v1/projects/${slug}/models/${name}/holders?${query}`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({ slug, name }),
    });

  it("answers who held a stage or an alias at each moment, since when and moved by whom", async () => {
    const name = await modelWithVersions(2);
    const beforeAnything = await moment();
    await transitionModelVersionStage(access, name, 1, { stage: "Production", archiveExisting: false });
    await setModelAlias(access, name, "champion", 1);
    const t1 = await moment();
    await transitionModelVersionStage(access, name, 2, { stage: "Production", archiveExisting: true });
    await setModelAlias(access, name, "champion", 2);
    const t2 = await moment();
    await deleteModelAlias(access, name, "champion");
    const t3 = await moment();

    const at = async (target: string, when: Date) => {
      const response = await holders(project.project.slug, name, `target=${target}&at=${when.toISOString()}`);
      expect(response.status).toBe(200);
      return (await response.json()) as { target: unknown; holders: { version: number; moved_by: string; since: string }[] };
    };
    expect((await at("Production", beforeAnything)).holders).toEqual([]);
    const production1 = await at("production", t1);
    expect(production1.target).toEqual({ stage: "Production" });
    expect(production1.holders).toEqual([expect.objectContaining({ version: 1, moved_by: "test-suite" })]);
    expect(new Date(production1.holders[0]!.since).getTime()).toBeLessThanOrEqual(t1.getTime());
    expect((await at("Production", t2)).holders.map((h) => h.version)).toEqual([2]);
    expect((await at("Archived", t2)).holders.map((h) => h.version)).toEqual([1]);
    expect((await at("alias:champion", t1)).holders.map((h) => h.version)).toEqual([1]);
    expect((await at("champion", t2)).holders.map((h) => h.version)).toEqual([2]);
    expect((await at("champion", t3)).holders).toEqual([]);

    const state = await callerFor(project.owner).registry.models.stateAt({ projectSlug: project.project.slug, name, at: t2 });
    expect(state.stages.Production?.map((h) => h.version)).toEqual([2]);
    expect(Object.fromEntries(Object.entries(state.aliases).map(([alias, h]) => [alias, h.version]))).toEqual({ champion: 2 });
  });

  it("follows a model through a rename: the old name answers for the time before it", async () => {
    const name = await modelWithVersions(1);
    await setModelAlias(access, name, "champion", 1);
    const beforeRename = await moment();
    const renamed = `${name}-renamed`;
    await renameRegisteredModel(access, name, renamed);
    const afterRename = await moment();
    const old = await holders(project.project.slug, name, `target=champion&at=${beforeRename.toISOString()}`);
    expect(((await old.json()) as { holders: { version: number }[] }).holders.map((h) => h.version)).toEqual([1]);
    expect((await holders(project.project.slug, name, `target=champion&at=${afterRename.toISOString()}`)).status).toBe(404);
    const current = await holders(project.project.slug, renamed, "target=champion");
    expect(((await current.json()) as { holders: { version: number }[] }).holders.map((h) => h.version)).toEqual([1]);
  });

  it("refuses a bad target or time, and another project's token sees nothing", async () => {
    const name = await modelWithVersions(1);
    const slug = project.project.slug;
    for (const [query, message] of [
      ["", "target is required"],
      ["target=stage:Live", "'Live' is not a stage"],
      ["target=bad alias", "may contain only letters"],
      ["target=Production&at=yesterday", "at must be an ISO 8601 time"],
    ] as const) {
      const response = await holders(slug, name, query);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain(message);
    }
    const other = await createProjectWithToken("MEMBER", ["read"]);
    expect((await holders(slug, name, "target=Production", other.plaintext)).status).toBe(404);
    expect((await holders(other.project.slug, name, "target=Production", other.plaintext)).status).toBe(404);
    const outsider = await trpcErrorOf(callerFor(other.owner).registry.models.stateAt({ projectSlug: slug, name, at: new Date() }));
    expect(outsider.code).toBe("NOT_FOUND");
  });
});
