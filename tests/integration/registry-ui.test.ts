import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { resolveProjectAccess } from "@/server/services/access";
import { createLoggedModel } from "@/server/services/logged-models";
import { createRun } from "@/server/services/runs";
import { addTestMember, callerFor, createTestProject, systemActor, trpcErrorOf, uniqueSuffix } from "../factories";

/** The registry through the web app's tRPC procedures: what the model and version pages do. */

async function projectWithRunModel() {
  const { project, owner } = await createTestProject();
  const access = await resolveProjectAccess(systemActor, project.slug);
  const run = await createRun(access, { experimentId: "0", tags: [] });
  const logged = await createLoggedModel(access, { experimentId: "0", name: "clf", sourceRunId: run.id, params: [], tags: [] });
  const [member, viewer] = await Promise.all([addTestMember(project.id, "MEMBER"), addTestMember(project.id, "VIEWER")]);
  return { slug: project.slug, projectId: project.id, owner, member, viewer, runId: run.id, loggedModelId: logged.id };
}

async function registryRows(projectId: string) {
  const [models, events] = await Promise.all([
    db().registeredModel.findMany({
      where: { projectId },
      select: {
        name: true,
        description: true,
        updatedAt: true,
        tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
        aliases: { select: { alias: true, versionId: true }, orderBy: { alias: "asc" } },
        versions: {
          select: { version: true, stage: true, description: true, tags: { select: { key: true, value: true }, orderBy: { key: "asc" } } },
          orderBy: { version: "asc" },
        },
      },
      orderBy: { name: "asc" },
    }),
    db().registryEvent.count({ where: { projectId } }),
  ]);
  return { models, events };
}

describe("registry procedures of the web app", () => {
  it("registers a run's logged model, creating the model, and lists it from the run and the models list", async () => {
    const p = await projectWithRunModel();
    const member = callerFor(p.member);
    const name = `churn-${uniqueSuffix()}`;
    const first = await member.registry.register({ projectSlug: p.slug, runId: p.runId, loggedModelId: p.loggedModelId, name });
    const second = await member.registry.register({ projectSlug: p.slug, runId: p.runId, loggedModelId: p.loggedModelId, name });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(first).toMatchObject({ modelName: name, runId: p.runId, loggedModelId: p.loggedModelId, stage: "None", createdBy: p.member.email });

    const fromRun = await member.registry.forRun({ projectSlug: p.slug, runId: p.runId });
    expect(fromRun.loggedModels).toEqual([{ modelId: p.loggedModelId, name: "clf", status: expect.any(String) }]);
    expect(fromRun.versions.map((v) => v.version).sort()).toEqual([1, 2]);

    await member.registry.models.create({ projectSlug: p.slug, name: `other-${uniqueSuffix()}` });
    const filtered = await member.registry.models.list({ projectSlug: p.slug, filter: `name LIKE 'churn-%'` });
    expect(filtered.models.map((m) => m.name)).toEqual([name]);
    const paged = await member.registry.models.list({ projectSlug: p.slug, pageSize: 1, orderBy: "name DESC" });
    expect(paged.models).toHaveLength(1);
    expect(paged.nextPageToken).toBeTruthy();
    const rest = await member.registry.models.list({ projectSlug: p.slug, pageSize: 1, orderBy: "name DESC", cursor: paged.nextPageToken });
    expect(rest.models[0]!.name).not.toBe(paged.models[0]!.name);

    const detail = await member.registry.models.get({ projectSlug: p.slug, name });
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(detail.history.map((h) => h.kind)).toEqual(["version.create", "version.create", "model.create"]);
  });

  it("refuses a logged model that is not the run's", async () => {
    const p = await projectWithRunModel();
    const access = await resolveProjectAccess(systemActor, p.slug);
    const otherRun = await createRun(access, { experimentId: "0", tags: [] });
    const refused = await trpcErrorOf(
      callerFor(p.member).registry.register({ projectSlug: p.slug, runId: otherRun.id, loggedModelId: p.loggedModelId, name: "x" }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect((await registryRows(p.projectId)).models).toEqual([]);
  });

  it("lets a member edit descriptions, tags, stage and aliases, each shown in the model's history", async () => {
    const p = await projectWithRunModel();
    const member = callerFor(p.member);
    const name = `m-${uniqueSuffix()}`;
    await member.registry.register({ projectSlug: p.slug, runId: p.runId, loggedModelId: p.loggedModelId, name });
    const ref = { projectSlug: p.slug, name };
    await member.registry.models.updateDescription({ ...ref, description: "Predicts churn" });
    await member.registry.models.setTag({ ...ref, key: "team", value: "growth" });
    await member.registry.models.setTag({ ...ref, key: "tmp", value: "1" });
    await member.registry.models.deleteTag({ ...ref, key: "tmp" });
    await member.registry.versions.updateDescription({ ...ref, version: 1, description: "First cut" });
    await member.registry.versions.setTag({ ...ref, version: 1, key: "validated", value: "yes" });
    await member.registry.versions.transitionStage({ ...ref, version: 1, stage: "Staging", archiveExisting: false });
    await member.registry.aliases.set({ ...ref, version: 1, alias: "champion" });

    const { model, versions, history } = await member.registry.models.get(ref);
    expect(model).toMatchObject({ description: "Predicts churn", tags: { team: "growth" }, aliases: [{ alias: "champion", version: 1 }] });
    expect(model.latestVersions.map((v) => [v.version, v.stage])).toEqual([[1, "Staging"]]);
    expect(versions[0]).toMatchObject({ description: "First cut", tags: { validated: "yes" }, aliases: ["champion"], stage: "Staging" });
    expect(history.map((h) => [h.kind, h.before, h.after])).toEqual([
      ["alias.set", null, { alias: "champion", version: 1 }],
      ["version.stage", { stage: "None" }, { stage: "Staging" }],
      ["version.tag_set", null, { validated: "yes" }],
      ["version.update", { description: null }, { description: "First cut" }],
      ["model.tag_delete", { tmp: "1" }, null],
      ["model.tag_set", null, { tmp: "1" }],
      ["model.tag_set", null, { team: "growth" }],
      ["model.update", { description: null }, { description: "Predicts churn" }],
      ["version.create", null, expect.objectContaining({ loggedModelId: p.loggedModelId })],
      ["model.create", null, expect.objectContaining({ name })],
    ]);
    expect(new Set(history.map((h) => h.actorLabel))).toEqual(new Set([p.member.email]));

    const version = await member.registry.versions.get({ ...ref, version: 1 });
    expect(version.sourceRun).toMatchObject({ runId: p.runId, status: "RUNNING", experimentId: "0" });
    await member.registry.aliases.delete({ ...ref, alias: "champion" });
    expect((await member.registry.models.get(ref)).history[0]).toMatchObject({ kind: "alias.delete", before: { alias: "champion", version: 1 } });
  });

  it("refuses a viewer every mutation, and nothing changes", async () => {
    const p = await projectWithRunModel();
    const name = `m-${uniqueSuffix()}`;
    const owner = callerFor(p.owner);
    await owner.registry.register({ projectSlug: p.slug, runId: p.runId, loggedModelId: p.loggedModelId, name });
    await owner.registry.models.setTag({ projectSlug: p.slug, name, key: "team", value: "growth" });
    await owner.registry.versions.setTag({ projectSlug: p.slug, name, version: 1, key: "validated", value: "yes" });
    await owner.registry.aliases.set({ projectSlug: p.slug, name, version: 1, alias: "champion" });
    const before = await registryRows(p.projectId);

    const viewer = callerFor(p.viewer).registry;
    const ref = { projectSlug: p.slug, name };
    const attempts: [string, () => Promise<unknown>][] = [
      ["models.create", () => viewer.models.create({ projectSlug: p.slug, name: "planted" })],
      ["models.updateDescription", () => viewer.models.updateDescription({ ...ref, description: "x" })],
      ["models.setTag", () => viewer.models.setTag({ ...ref, key: "team", value: "x" })],
      ["models.deleteTag", () => viewer.models.deleteTag({ ...ref, key: "team" })],
      ["models.rename", () => viewer.models.rename({ ...ref, newName: "renamed" })],
      ["models.delete", () => viewer.models.delete(ref)],
      ["versions.updateDescription", () => viewer.versions.updateDescription({ ...ref, version: 1, description: "x" })],
      ["versions.setTag", () => viewer.versions.setTag({ ...ref, version: 1, key: "validated", value: "no" })],
      ["versions.deleteTag", () => viewer.versions.deleteTag({ ...ref, version: 1, key: "validated" })],
      ["versions.transitionStage", () => viewer.versions.transitionStage({ ...ref, version: 1, stage: "Production", archiveExisting: true })],
      ["aliases.set", () => viewer.aliases.set({ ...ref, version: 1, alias: "mine" })],
      ["aliases.delete", () => viewer.aliases.delete({ ...ref, alias: "champion" })],
      ["register (existing model)", () => viewer.register({ projectSlug: p.slug, runId: p.runId, loggedModelId: p.loggedModelId, name })],
      ["register (new model)", () => viewer.register({ projectSlug: p.slug, runId: p.runId, loggedModelId: p.loggedModelId, name: "fresh" })],
    ];
    for (const [what, attempt] of attempts) {
      const refused = await trpcErrorOf(attempt());
      expect(refused.code, what).toBe("FORBIDDEN");
    }
    expect(await registryRows(p.projectId)).toEqual(before);

    // …while reading works.
    expect((await viewer.models.get(ref)).versions).toHaveLength(1);
    expect((await viewer.versions.get({ ...ref, version: 1 })).version.aliases).toEqual(["champion"]);
  });

  it("lets only maintainers and owners delete, as registry:delete says", async () => {
    const p = await projectWithRunModel();
    const name = `m-${uniqueSuffix()}`;
    await callerFor(p.member).registry.register({ projectSlug: p.slug, runId: p.runId, loggedModelId: p.loggedModelId, name });
    expect((await trpcErrorOf(callerFor(p.member).registry.models.delete({ projectSlug: p.slug, name }))).code).toBe("FORBIDDEN");
    await callerFor(p.owner).registry.models.delete({ projectSlug: p.slug, name });
    expect((await trpcErrorOf(callerFor(p.owner).registry.models.get({ projectSlug: p.slug, name }))).code).toBe("NOT_FOUND");
  });

  it("refuses bad input before calling the service", async () => {
    const p = await projectWithRunModel();
    const member = callerFor(p.member).registry;
    expect((await trpcErrorOf(member.models.create({ projectSlug: p.slug, name: "a/b" }))).code).toBe("BAD_REQUEST");
    expect((await trpcErrorOf(member.models.list({ projectSlug: p.slug, filter: "name ~~ 'x'" }))).code).toBe("BAD_REQUEST");
    const stage = member.versions.transitionStage({ projectSlug: p.slug, name: "m", version: 1, stage: "Archived", archiveExisting: true });
    expect((await trpcErrorOf(stage)).code).toBe("BAD_REQUEST");
    expect((await trpcErrorOf(member.aliases.set({ projectSlug: p.slug, name: "m", version: 1, alias: "latest" }))).code).toBe("BAD_REQUEST");
  });
});
