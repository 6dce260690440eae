import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { withPgTransaction } from "@/server/db/pool";
import { transaction } from "@/server/db/transaction";
import { resolveProjectAccess } from "@/server/services/access";
import { recordAudit } from "@/server/services/audit";
import { createRun, getRun, logBatch, updateRun } from "@/server/services/runs";
import { createProjectWithToken, mlflowRequest, systemActor, uniqueSuffix } from "../factories";

/**
 * One transaction model (docs/architecture.md): a change and its audit event commit together, on the
 * raw pg path of the metric hot path as on Prisma's. A failure after the change rolls back both.
 */

async function projectWithRun() {
  const { project, plaintext } = await createProjectWithToken("OWNER", ["read", "write"]);
  const access = await resolveProjectAccess(systemActor, project.slug);
  const run = await createRun(access, { experimentId: "0", runName: "first-name", tags: [] });
  return { project, token: plaintext, access, runId: run.id };
}

const renames = (projectId: string) => db().auditEvent.findMany({ where: { projectId, action: "run.rename" }, orderBy: { id: "asc" } });

describe("a change and its audit event commit together", () => {
  it("audits a rename through the mlflow.runName tag (the raw pg path) with who, before and after", async () => {
    const { project, token, runId } = await projectWithRun();
    const response = await mlflowRequest({ projectSlug: project.slug, token }, "POST", "runs/set-tag", {
      run_id: runId,
      key: "mlflow.runName",
      value: "second-name",
    });
    expect(response.status).toBe(200);
    const [event, ...more] = await renames(project.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actorType: "TOKEN",
      actorRole: "token:read,write",
      resourceType: "run",
      resourceId: runId,
      before: { name: "first-name" },
      after: { name: "second-name" },
    });
  });

  it("does not audit a batch that sets the name the run already has", async () => {
    const { project, access, runId } = await projectWithRun();
    await logBatch(access, runId, { metrics: [], params: [], tags: [{ key: "mlflow.runName", value: "first-name" }] });
    expect(await renames(project.id)).toEqual([]);
  });

  it("rolls back the rename and its audit event when the batch fails after them", async () => {
    const { project, access, runId } = await projectWithRun();
    // Tags are written before metrics; a step beyond int8 makes the metric insert fail afterwards.
    const failing = logBatch(access, runId, {
      metrics: [{ key: "loss", value: 1, timestamp: 1, step: 1e20 }],
      params: [],
      tags: [{ key: "mlflow.runName", value: "never-committed" }],
    });
    await expect(failing).rejects.toThrow();
    expect(await renames(project.id)).toEqual([]);
    const run = await getRun(access, runId);
    expect(run.name).toBe("first-name");
    expect(run.tags).toContainEqual({ key: "mlflow.runName", value: "first-name" });
    expect(run.metrics).toEqual([]);
  });

  it("audits a rename through runs/update (the Prisma path) the same way", async () => {
    const { project, access, runId } = await projectWithRun();
    await updateRun(access, { runId, runName: "renamed" });
    const [event] = await renames(project.id);
    expect(event).toMatchObject({ actorType: "SYSTEM", before: { name: "first-name" }, after: { name: "renamed" } });
  });
});

describe("recordAudit on either kind of transaction", () => {
  const entry = (projectId: string, resourceId: string) => ({
    projectId,
    action: "run.rename" as const,
    resourceType: "run" as const,
    resourceId,
    actorRole: "SYSTEM",
    before: { name: "a", at: new Date("2026-01-02T03:04:05.000Z") },
    after: { name: "b" },
  });
  const eventsOf = (projectId: string, resourceId: string) => db().auditEvent.findMany({ where: { projectId, resourceId } });

  it.each([
    ["the raw pg transaction", (work: (tx: Parameters<typeof recordAudit>[0]) => Promise<void>) => withPgTransaction(work)],
    ["a Prisma transaction", (work: (tx: Parameters<typeof recordAudit>[0]) => Promise<void>) => transaction(work)],
  ])("writes the same event in %s, and none when it rolls back", async (_name, inTransaction) => {
    const { project } = await projectWithRun();
    const kept = `kept-${uniqueSuffix()}`;
    const dropped = `dropped-${uniqueSuffix()}`;
    await inTransaction((tx) => recordAudit(tx, systemActor, entry(project.id, kept)));
    await expect(
      inTransaction(async (tx) => {
        await recordAudit(tx, systemActor, entry(project.id, dropped));
        throw new Error("fails after the audit event");
      }),
    ).rejects.toThrow("fails after the audit event");

    expect(await eventsOf(project.id, dropped)).toEqual([]);
    const [event, ...more] = await eventsOf(project.id, kept);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actorType: "SYSTEM",
      actorId: null,
      actorLabel: systemActor.label,
      actorRole: "SYSTEM",
      action: "run.rename",
      before: { name: "a", at: "2026-01-02T03:04:05.000Z" },
      after: { name: "b" },
    });
    expect(event!.createdAt).toBeInstanceOf(Date);
  });
});
