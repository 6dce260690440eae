import { describe, expect, it } from "vitest";
import { resolveProjectAccess } from "@/server/services/access";
import { createRun, logBatch } from "@/server/services/runs";
import { addTestMember, callerFor, createTestProject, systemActor, trpcErrorOf } from "../factories";

async function seeded() {
  const { project, owner } = await createTestProject();
  const access = await resolveProjectAccess(systemActor, project.slug);
  const member = await addTestMember(project.id, "MEMBER");
  return { slug: project.slug, access, owner, member };
}

describe("experiments procedures", () => {
  it("lists experiments with run counts, and lets a member create and rename while deletion needs a maintainer", async () => {
    const { slug, access, member } = await seeded();
    const caller = callerFor(member);
    const { id } = await caller.experiments.create({ projectSlug: slug, name: "vision" });
    await createRun(access, { experimentId: id, startTime: 5_000, tags: [] });
    await createRun(access, { experimentId: id, startTime: 9_000, tags: [] });
    await caller.experiments.rename({ projectSlug: slug, experimentId: id, name: "vision-v2" });

    const listed = await caller.experiments.list({ projectSlug: slug });
    expect(listed.find((experiment) => experiment.experimentId === id)).toMatchObject({
      name: "vision-v2",
      runCount: 2,
      activeRuns: 2,
      lastRunStart: 9_000,
    });
    expect(listed.map((experiment) => experiment.name)).toContain("Default");

    expect((await trpcErrorOf(caller.experiments.delete({ projectSlug: slug, experimentId: id }))).code).toBe("FORBIDDEN");
    const maintainer = callerFor(await addTestMember(access.project.id, "MAINTAINER"));
    await maintainer.experiments.delete({ projectSlug: slug, experimentId: id });
    expect((await caller.experiments.list({ projectSlug: slug })).map((experiment) => experiment.experimentId)).not.toContain(id);
    const all = await caller.experiments.list({ projectSlug: slug, includeDeleted: true });
    expect(all.find((experiment) => experiment.experimentId === id)?.lifecycleStage).toBe("deleted");
    await maintainer.experiments.restore({ projectSlug: slug, experimentId: id });
    expect((await caller.experiments.list({ projectSlug: slug })).map((experiment) => experiment.experimentId)).toContain(id);
  });

  it("refuses a duplicate experiment name with a clear message", async () => {
    const { slug, member } = await seeded();
    const caller = callerFor(member);
    await caller.experiments.create({ projectSlug: slug, name: "twice" });
    const refused = await trpcErrorOf(caller.experiments.create({ projectSlug: slug, name: "twice" }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain("twice");
  });
});

describe("runs procedures", () => {
  it("returns the run with its experiment, parent and children", async () => {
    const { slug, access, member } = await seeded();
    const parent = await createRun(access, { experimentId: "0", runName: "sweep", tags: [] });
    const child = await createRun(access, {
      experimentId: "0",
      runName: "trial",
      tags: [{ key: "mlflow.parentRunId", value: parent.id }],
    });
    const caller = callerFor(member);
    const detail = await caller.runs.get({ projectSlug: slug, runId: parent.id });
    expect(detail.experimentName).toBe("Default");
    expect(detail.parent).toBeNull();
    expect(detail.children).toEqual([{ runId: child.id, name: "trial", status: "RUNNING" }]);
    const childDetail = await caller.runs.get({ projectSlug: slug, runId: child.id });
    expect(childDetail.parent).toEqual({ runId: parent.id, name: "sweep", status: "RUNNING" });
  });

  it("serves a long series downsampled to at most the requested buckets", async () => {
    const { slug, access, member } = await seeded();
    const run = await createRun(access, { experimentId: "0", tags: [] });
    for (let start = 0; start < 5_000; start += 1_000) {
      const metrics = Array.from({ length: 1_000 }, (_, index) => ({ key: "loss", value: 1 / (start + index + 1), timestamp: start + index, step: start + index }));
      await logBatch(access, run.id, { metrics, params: [], tags: [] });
    }
    const buckets = await callerFor(member).runs.history({ projectSlug: slug, runId: run.id, key: "loss", buckets: 100 });
    expect(buckets.length).toBeGreaterThan(50);
    expect(buckets.length).toBeLessThanOrEqual(100);
    expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(5_000);
    expect(buckets.at(-1)!.last).toBeCloseTo(1 / 5_000);
  });

  it("stores the note as MLflow's note tag and refuses a viewer", async () => {
    const { slug, access, member, owner } = await seeded();
    const run = await createRun(access, { experimentId: "0", tags: [] });
    await callerFor(member).runs.setNote({ projectSlug: slug, runId: run.id, note: "# Findings\nLR too high." });
    const detail = await callerFor(owner).runs.get({ projectSlug: slug, runId: run.id });
    expect(detail.run.tags).toContainEqual({ key: "mlflow.note.content", value: "# Findings\nLR too high." });
    const viewer = callerFor(await addTestMember(access.project.id, "VIEWER"));
    expect((await trpcErrorOf(viewer.runs.setNote({ projectSlug: slug, runId: run.id, note: "x" }))).code).toBe("FORBIDDEN");
  });
});
