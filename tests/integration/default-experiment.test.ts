import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { resolveProjectAccess } from "@/server/services/access";
import { createRun } from "@/server/services/runs";
import { createTestProject, systemActor } from "../factories";

describe("the Default experiment", () => {
  it("is created once when a project's first runs start concurrently", async () => {
    // Several fresh projects at once make the check-then-insert race show reliably.
    const projects = await Promise.all(Array.from({ length: 6 }, () => createTestProject()));
    await Promise.all(
      projects.map(async ({ project }) => {
        const access = await resolveProjectAccess(systemActor, project.slug);
        const runs = await Promise.all(Array.from({ length: 6 }, () => createRun(access, { experimentId: "0", tags: [] })));
        expect(new Set(runs.map((run) => run.id)).size).toBe(6);
        const experiments = await db().experiment.findMany({ where: { projectId: project.id }, select: { number: true, name: true } });
        expect(experiments).toEqual([{ number: 0, name: "Default" }]);
      }),
    );
  });
});
