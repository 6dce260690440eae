import { describe, expect, it } from "vitest";
import { addTestMember, callerFor, createTestProject, trpcErrorOf } from "../factories";

const state = (filter: string, orderBy: string[] = []) => ({
  columns: { metrics: ["acc"], params: ["lr"], tags: [] },
  filter,
  orderBy,
});

async function projectWithViewer() {
  const { project, owner } = await createTestProject();
  const viewer = await addTestMember(project.id, "VIEWER");
  return { slug: project.slug, owner, viewer };
}

describe("saved runs-table views", () => {
  it("keeps each user's views to themselves and replaces a view saved under the same name", async () => {
    const { slug, owner, viewer } = await projectWithViewer();
    const mine = callerFor(viewer);
    await mine.savedViews.save({ projectSlug: slug, experimentId: "0", name: "best", state: state("metrics.acc > 0.9", ["metrics.acc DESC"]) });
    await mine.savedViews.save({ projectSlug: slug, experimentId: "0", name: "best", state: state("metrics.acc > 0.95") });
    await mine.savedViews.save({ projectSlug: slug, experimentId: "0", name: "adam", state: state("params.optimizer = 'adam'") });

    const listed = await mine.savedViews.list({ projectSlug: slug, experimentId: "0" });
    expect(listed.map((view) => [view.name, view.state.filter])).toEqual([
      ["adam", "params.optimizer = 'adam'"],
      ["best", "metrics.acc > 0.95"],
    ]);
    expect(await callerFor(owner).savedViews.list({ projectSlug: slug, experimentId: "0" })).toEqual([]);

    await mine.savedViews.delete({ projectSlug: slug, experimentId: "0", name: "adam" });
    expect((await mine.savedViews.list({ projectSlug: slug, experimentId: "0" })).map((view) => view.name)).toEqual(["best"]);
  });

  it("refuses a filter or sort that would not run, saving nothing", async () => {
    const { slug, viewer } = await projectWithViewer();
    const caller = callerFor(viewer);
    const badFilter = await trpcErrorOf(caller.savedViews.save({ projectSlug: slug, experimentId: "0", name: "x", state: state("metrics.acc >") }));
    expect(badFilter.code).toBe("BAD_REQUEST");
    expect(badFilter.message).toMatch(/Invalid filter at position/);
    const badSort = await trpcErrorOf(
      caller.savedViews.save({ projectSlug: slug, experimentId: "0", name: "x", state: state("", ["metrics.acc SIDEWAYS"]) }),
    );
    expect(badSort.code).toBe("BAD_REQUEST");
    expect(await caller.savedViews.list({ projectSlug: slug, experimentId: "0" })).toEqual([]);
  });

  it("names a missing experiment", async () => {
    const { slug, viewer } = await projectWithViewer();
    const missing = await trpcErrorOf(callerFor(viewer).savedViews.list({ projectSlug: slug, experimentId: "4242" }));
    expect(missing.code).toBe("NOT_FOUND");
  });
});
