import { describe, expect, it } from "vitest";
import { resolveProjectAccess } from "@/server/services/access";
import { createExperiment } from "@/server/services/experiments";
import { createRun, logInputs } from "@/server/services/runs";
import { addTestMember, callerFor, createTestProject, systemActor, trpcErrorOf, uniqueSuffix } from "../factories";

const colspec = (columns: { name: string; type: string }[]) =>
  JSON.stringify({ mlflow_colspec: columns.map((column) => ({ ...column, required: true })) });

const V1_SCHEMA = colspec([
  { name: "amount", type: "double" },
  { name: "country", type: "string" },
  { name: "age", type: "long" },
]);
const V2_SCHEMA = colspec([
  { name: "amount", type: "double" },
  { name: "age", type: "double" },
  { name: "merchant", type: "string" },
]);

/** A project where "transactions" has two versions logged by runs in two experiments, and "labels" one. */
async function projectWithDatasets() {
  const { project, owner } = await createTestProject();
  const access = await resolveProjectAccess(systemActor, project.slug);
  const other = await createExperiment(access, { name: `other-${uniqueSuffix()}`, tags: [] });
  const run = (experimentId: string, startTime: number, userId: string) =>
    createRun(access, { experimentId, startTime, userId, runName: `run-${startTime}`, tags: [] });
  const first = await run("0", 1_000, "alice");
  const second = await run(other.id, 2_000, "bob");
  const third = await run(other.id, 3_000, "carol");
  const v1 = { name: "transactions", digest: "aaa111", sourceType: "s3", source: '{"uri": "s3://bucket/tx/v1.parquet"}', schema: V1_SCHEMA, profile: '{"num_rows": 1000}' };
  const v2 = { name: "transactions", digest: "bbb222", sourceType: "s3", source: "s3://bucket/tx/v2.parquet", schema: V2_SCHEMA, profile: "not json" };
  const context = (value: string) => [{ key: "mlflow.data.context", value }];
  await logInputs(access, first.id, [{ dataset: v1, tags: context("train") }]);
  // The same digest in another experiment is the same version; a new digest is a new version.
  await logInputs(access, second.id, [{ dataset: v1, tags: context("eval") }, { dataset: v2, tags: context("train") }]);
  await logInputs(access, third.id, [
    { dataset: v2, tags: [] },
    { dataset: { name: "labels", digest: "ccc333", sourceType: "local", source: "/data/labels.csv" }, tags: context("test") },
  ]);
  return { project, owner, runs: { first, second, third } };
}

describe("datasets", () => {
  it("lists each name once with its distinct digests and the latest consuming run's start", async () => {
    const { project, owner } = await projectWithDatasets();
    const page = await callerFor(owner).datasets.list({ projectSlug: project.slug });
    expect(page).toEqual({
      datasets: [
        { name: "labels", versionCount: 1, lastUsed: 3_000 },
        { name: "transactions", versionCount: 2, lastUsed: 3_000 },
      ],
      nextCursor: null,
    });
  });

  it("pages and filters the list by name", async () => {
    const { project, owner } = await projectWithDatasets();
    const caller = callerFor(owner);
    const first = await caller.datasets.list({ projectSlug: project.slug, limit: 1 });
    expect(first.datasets.map((d) => d.name)).toEqual(["labels"]);
    const second = await caller.datasets.list({ projectSlug: project.slug, limit: 1, cursor: first.nextCursor! });
    expect(second).toEqual({ datasets: [expect.objectContaining({ name: "transactions" })], nextCursor: null });
    const filtered = await caller.datasets.list({ projectSlug: project.slug, filter: "TRANS" });
    expect(filtered.datasets.map((d) => d.name)).toEqual(["transactions"]);
    expect((await caller.datasets.list({ projectSlug: project.slug, filter: "%" })).datasets).toEqual([]);
  });

  it("shows versions newest first with source, schema, profile, first use and the runs with their context", async () => {
    const { project, owner, runs } = await projectWithDatasets();
    const detail = await callerFor(owner).datasets.get({ projectSlug: project.slug, name: "transactions" });
    expect(detail.versions.map((v) => v.digest)).toEqual(["bbb222", "aaa111"]);
    const [v2, v1] = detail.versions;
    expect(v1).toMatchObject({
      sourceType: "s3",
      source: '{"uri": "s3://bucket/tx/v1.parquet"}',
      sourceUri: "s3://bucket/tx/v1.parquet",
      profile: { kind: "json", value: { num_rows: 1000 } },
      columns: [
        { name: "amount", type: "double", required: true },
        { name: "country", type: "string", required: true },
        { name: "age", type: "long", required: true },
      ],
      firstLoggedBy: "alice",
      firstLoggedAt: 1_000,
      runCount: 2,
      nextRunsCursor: null,
    });
    expect(v1!.runs).toEqual([
      expect.objectContaining({ runId: runs.second.id, context: "eval", userId: "bob", startTime: 2_000 }),
      expect.objectContaining({ runId: runs.first.id, context: "train", experimentId: "0" }),
    ]);
    expect(v2).toMatchObject({ sourceUri: "s3://bucket/tx/v2.parquet", profile: { kind: "text", text: "not json" }, firstLoggedBy: "bob", firstLoggedAt: 2_000, runCount: 2 });
    expect(v2!.runs.map((r) => [r.runId, r.context])).toEqual([
      [runs.third.id, null],
      [runs.second.id, "train"],
    ]);
  });

  it("logging the same digest again adds a run to the version, not a new version", async () => {
    const { project, owner } = await projectWithDatasets();
    const access = await resolveProjectAccess(systemActor, project.slug);
    const again = await createRun(access, { experimentId: "0", startTime: 5_000, tags: [] });
    await logInputs(access, again.id, [
      { dataset: { name: "labels", digest: "ccc333", sourceType: "local", source: "/data/labels.csv" }, tags: [] },
    ]);
    const caller = callerFor(owner);
    const detail = await caller.datasets.get({ projectSlug: project.slug, name: "labels" });
    expect(detail.versions).toHaveLength(1);
    expect(detail.versions[0]).toMatchObject({ runCount: 2, firstLoggedAt: 3_000 });
    const list = await caller.datasets.list({ projectSlug: project.slug, filter: "labels" });
    expect(list.datasets).toEqual([{ name: "labels", versionCount: 1, lastUsed: 5_000 }]);
  });

  it("pages the runs of a version", async () => {
    const { project, owner, runs } = await projectWithDatasets();
    const caller = callerFor(owner);
    const first = await caller.datasets.versionRuns({ projectSlug: project.slug, name: "transactions", digest: "aaa111", limit: 1 });
    expect(first.runs.map((r) => r.runId)).toEqual([runs.second.id]);
    const rest = await caller.datasets.versionRuns({ projectSlug: project.slug, name: "transactions", digest: "aaa111", limit: 1, cursor: first.nextCursor! });
    expect(rest).toEqual({ runs: [expect.objectContaining({ runId: runs.first.id })], nextCursor: null });
    const unknown = await trpcErrorOf(caller.datasets.versionRuns({ projectSlug: project.slug, name: "transactions", digest: "nope" }));
    expect(unknown.code).toBe("NOT_FOUND");
  });

  it("diffs the column schemas of two versions", async () => {
    const { project, owner } = await projectWithDatasets();
    const caller = callerFor(owner);
    const diff = await caller.datasets.schemaDiff({ projectSlug: project.slug, name: "transactions", digestA: "aaa111", digestB: "bbb222" });
    expect(diff).toEqual({
      added: [{ name: "merchant", type: "string", required: true }],
      removed: [{ name: "country", type: "string", required: true }],
      typeChanged: [{ name: "age", from: "long", to: "double" }],
    });
    const unknown = await trpcErrorOf(caller.datasets.schemaDiff({ projectSlug: project.slug, name: "transactions", digestA: "aaa111", digestB: "zzz" }));
    expect(unknown).toEqual({ code: "BAD_REQUEST", message: expect.stringContaining("zzz") });
    const noSchema = await trpcErrorOf(caller.datasets.schemaDiff({ projectSlug: project.slug, name: "labels", digestA: "ccc333", digestB: "ccc333" }));
    expect(noSchema).toEqual({ code: "BAD_REQUEST", message: expect.stringContaining("no column schema") });
  });

  it("answers NOT_FOUND for a name the project has never logged", async () => {
    const { project, owner } = await projectWithDatasets();
    const missing = await trpcErrorOf(callerFor(owner).datasets.get({ projectSlug: project.slug, name: "nothing" }));
    expect(missing.code).toBe("NOT_FOUND");
  });

  it("lets a viewer read", async () => {
    const { project } = await projectWithDatasets();
    const viewer = await addTestMember(project.id, "VIEWER");
    const detail = await callerFor(viewer).datasets.get({ projectSlug: project.slug, name: "transactions" });
    expect(detail.versions).toHaveLength(2);
  });

  it("keeps another project's datasets invisible", async () => {
    const [{ project: b }, { project: a, owner }] = await Promise.all([projectWithDatasets(), createTestProject()]);
    const caller = callerFor(owner);
    expect((await caller.datasets.list({ projectSlug: a.slug })).datasets).toEqual([]);
    expect((await trpcErrorOf(caller.datasets.get({ projectSlug: a.slug, name: "transactions" }))).code).toBe("NOT_FOUND");
    expect((await trpcErrorOf(caller.datasets.list({ projectSlug: b.slug }))).code).toBe("NOT_FOUND");
  });

  it("stores one version when several runs log the same new dataset at the same moment", async () => {
    const { project, owner } = await createTestProject();
    const access = await resolveProjectAccess(systemActor, project.slug);
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, index) => createRun(access, { experimentId: "0", startTime: 1_000 + index, userId: "ada", tags: [] })),
    );
    const shared = { name: "fresh", digest: "f00d", sourceType: "local", source: "/data/fresh.csv" };
    await Promise.all(runs.map((run) => logInputs(access, run.id, [{ dataset: shared, tags: [{ key: "mlflow.data.context", value: "train" }] }])));
    const detail = await callerFor(owner).datasets.get({ projectSlug: project.slug, name: "fresh" });
    expect(detail.versions.map((version) => [version.digest, version.runCount])).toEqual([["f00d", 6]]);
  });
});
