import { describe, expect, it } from "vitest";
import { resolveProjectAccess } from "@/server/services/access";
import { createExperiment } from "@/server/services/experiments";
import { createRun, logBatch, setRunLifecycle, updateRun } from "@/server/services/runs";
import { addTestMember, callerFor, createTestProject, systemActor, trpcErrorOf } from "../factories";

const NO_COLUMNS = { metrics: [], params: [], tags: [] };

/** An experiment of five runs with known accuracies, learning rates and teams. */
async function seeded() {
  const { project, owner } = await createTestProject();
  const access = await resolveProjectAccess(systemActor, project.slug);
  const { id: experimentId } = await createExperiment(access, { name: "table", tags: [] });
  const ids: Record<string, string> = {};
  const specs = [
    { name: "a", acc: 0.7, lr: "0.1", team: "vision" },
    { name: "b", acc: 0.9, lr: "0.01", team: "vision" },
    { name: "c", acc: 0.8, lr: "0.01", team: "nlp" },
    { name: "d", acc: 0.95, lr: "0.001", team: "nlp" },
    { name: "e", acc: 0.6, lr: "0.1", team: "vision" },
  ];
  for (const [index, spec] of specs.entries()) {
    const run = await createRun(access, { experimentId, runName: spec.name, startTime: 1_000 + index, tags: [{ key: "team", value: spec.team }] });
    ids[spec.name] = run.id;
    await logBatch(access, run.id, {
      metrics: [
        { key: "acc", value: spec.acc, timestamp: 5, step: 1 },
        { key: "loss", value: 1 - spec.acc, timestamp: 5, step: 1 },
      ],
      params: [
        { key: "lr", value: spec.lr },
        { key: "seed", value: String(index) },
      ],
      tags: [],
    });
  }
  await updateRun(access, { runId: ids.c!, status: "FINISHED", endTime: 9_000 });
  const viewer = await addTestMember(project.id, "VIEWER");
  return { access, slug: project.slug, owner, viewer, experimentId, ids };
}

describe("runs table", () => {
  it("sorts by a metric and returns only the chosen columns", async () => {
    const { slug, viewer, experimentId, ids } = await seeded();
    const page = await callerFor(viewer).runsTable.page({
      projectSlug: slug,
      experimentId,
      orderBy: ["metrics.acc DESC"],
      columns: { metrics: ["acc"], params: ["lr"], tags: ["team"] },
    });
    expect(page.rows.map((row) => row.name)).toEqual(["d", "b", "c", "a", "e"]);
    expect(page.rows[0]).toMatchObject({ runId: ids.d, metrics: { acc: 0.95 }, params: { lr: "0.001" }, tags: { team: "nlp" } });
    expect(Object.keys(page.rows[0]!.metrics)).toEqual(["acc"]);
    expect(Object.keys(page.rows[0]!.params)).toEqual(["lr"]);
    expect(page.rows.find((row) => row.name === "c")).toMatchObject({ status: "FINISHED", endTime: 9_000 });
    expect(page.nextPageToken).toBeUndefined();
  });

  it("filters with the search grammar, counts the matches and pages through them exactly once", async () => {
    const { slug, viewer, experimentId } = await seeded();
    const caller = callerFor(viewer);
    const filter = "params.lr = '0.1' OR tags.team = 'nlp'";
    expect(await caller.runsTable.count({ projectSlug: slug, experimentId, filter })).toEqual({ count: 4, capped: false });
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await caller.runsTable.page({ projectSlug: slug, experimentId, filter, orderBy: ["attributes.run_name ASC"], pageSize: 3, cursor: pageToken, columns: NO_COLUMNS });
      names.push(...page.rows.map((row) => row.name));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(names).toEqual(["a", "c", "d", "e"]);
  });

  it("explains a bad filter with its position", async () => {
    const { slug, viewer, experimentId } = await seeded();
    const refused = await trpcErrorOf(
      callerFor(viewer).runsTable.page({ projectSlug: slug, experimentId, filter: "metrics.acc >> 1", columns: NO_COLUMNS }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toMatch(/Invalid filter at position \d+/);
  });

  it("hides deleted runs unless asked, and lists every key for the column picker", async () => {
    const { access, slug, viewer, experimentId, ids } = await seeded();
    await setRunLifecycle(access, ids.a!, "deleted");
    const caller = callerFor(viewer);
    const active = await caller.runsTable.page({ projectSlug: slug, experimentId, columns: NO_COLUMNS });
    expect(active.rows.map((row) => row.name).sort()).toEqual(["b", "c", "d", "e"]);
    const deleted = await caller.runsTable.page({ projectSlug: slug, experimentId, viewType: "DELETED_ONLY", columns: NO_COLUMNS });
    expect(deleted.rows.map((row) => row.name)).toEqual(["a"]);
    const keys = await caller.runsTable.keys({ projectSlug: slug, experimentId });
    expect(keys).toEqual({ metrics: ["acc", "loss"], params: ["lr", "seed"], tags: ["mlflow.runName", "team"] });
  });
});
