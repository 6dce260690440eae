import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Role } from "@/lib/rbac";
import { db } from "@/server/db/client";
import { resolveProjectAccess, type UserActor } from "@/server/services/access";
import { createLoggedModel } from "@/server/services/logged-models";
import { createInvite } from "@/server/services/members";
import { saveModelCard } from "@/server/services/model-cards";
import { createModelVersion, createRegisteredModel, setModelVersionTag, setRegisteredModelTag } from "@/server/services/registry";
import { requestPromotion, setModelAlias } from "@/server/services/promotions";
import { createRun } from "@/server/services/runs";
import { appRouter } from "@/server/trpc/root";
import {
  addTestMember,
  callerFor,
  createProjectWithToken,
  createTestProject,
  systemActor,
  trpcErrorOf,
  uniqueSuffix,
} from "../factories";

/**
 * Nothing crosses projects: whoever is not a member of project B gets NOT_FOUND from every
 * project-scoped procedure naming B, whatever their role elsewhere, and B is left exactly as it was.
 *
 * The procedures are enumerated from the router itself, so a new procedure that takes `projectSlug`
 * fails this file until it is given an input below.
 */

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs?: unknown[];
}

// At runtime `_def.procedures` is flat, keyed by dotted path ("members.add"); its declared type is nested.
const allProcedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>).map(
  ([path, procedure]) => ({ path, type: procedure._def.type, inputs: procedure._def.inputs ?? [] }),
);

/**
 * Whether a (Zod 4) input schema has a top-level `projectSlug`, looking through wrappers a router might
 * add: `.transform`/`.pipe`, `.optional`/`.default`, `.and`, `.or`, `.lazy`.
 */
function mentionsProjectSlug(schema: unknown, seen = new Set<unknown>()): boolean {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return false;
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return false;
  if (def.type === "object") return "projectSlug" in (def.shape as Record<string, unknown>);
  if (def.type === "lazy" && typeof def.getter === "function") return mentionsProjectSlug((def.getter as () => unknown)(), seen);
  const inner = ["in", "out", "innerType", "left", "right"].map((key) => def[key]);
  const options = Array.isArray(def.options) ? (def.options as unknown[]) : [];
  return [...inner, ...options].some((part) => mentionsProjectSlug(part, seen));
}

const takesProjectSlug = (inputs: unknown[]) => inputs.some((input) => mentionsProjectSlug(input));

const projectScoped = allProcedures.filter((procedure) => takesProjectSlug(procedure.inputs));

/** Project B, with something of each kind in it for an intruder to aim at. */
async function createTarget() {
  const { project, owner, token } = await createProjectWithToken("OWNER", ["read", "write"]);
  const access = await resolveProjectAccess(systemActor, project.slug);
  const [member, { invite }, first, second] = await Promise.all([
    addTestMember(project.id, "MEMBER"),
    createInvite(access, { role: "MEMBER", expiresInDays: 7 }),
    createRun(access, { experimentId: "0", tags: [] }),
    createRun(access, { experimentId: "0", tags: [] }),
  ]);
  // The registry: a model with a tag, an alias and one version (tagged) registered from the first run's logged model.
  const loggedModel = await createLoggedModel(access, { experimentId: "0", name: "clf", sourceRunId: first.info.run_id, params: [], tags: [] });
  const model = await createRegisteredModel(access, { name: "b-model", description: "B's own" });
  await createModelVersion(access, model.name, { source: `models:/${loggedModel.info.model_id}`, runId: first.info.run_id });
  await Promise.all([
    setRegisteredModelTag(access, model.name, "team", "b"),
    setModelVersionTag(access, model.name, 1, "validated", "yes"),
    setModelAlias(access, model.name, "champion", 1),
    saveModelCard(access, { modelName: model.name }, { baseRevision: 0, sections: { summary: "B's card" } }),
  ]);
  // A pending promotion request, made by B's member, for an intruder to decide or cancel.
  const request = await requestPromotion(await resolveProjectAccess(member, project.slug), {
    name: model.name,
    version: 1,
    target: { kind: "stage", stage: "Production" },
  });
  return {
    project,
    owner,
    member,
    requestId: request.id,
    inviteId: invite.id,
    tokenId: token.id,
    runIds: [first.info.run_id, second.info.run_id],
    modelName: model.name,
    loggedModelId: loggedModel.info.model_id,
  };
}
type Target = Awaited<ReturnType<typeof createTarget>>;

/**
 * A valid input for each project-scoped procedure, aimed at B's real rows, so that a broken check
 * would visibly change B. `viewerMay` marks what a viewer of B is allowed: reads, and the few
 * mutations of one's own things (saved views).
 */
const INPUTS: Record<string, { input: (b: Target, intruder: UserActor) => Record<string, unknown>; viewerMay?: true }> = {
  "projects.get": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "projects.rename": { input: (b) => ({ projectSlug: b.project.slug, name: "Taken over" }) },
  "projects.delete": { input: (b) => ({ projectSlug: b.project.slug, confirmSlug: b.project.slug }) },
  "members.list": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "members.add": { input: (b, intruder) => ({ projectSlug: b.project.slug, email: intruder.email, role: "OWNER" }) },
  "members.changeRole": { input: (b) => ({ projectSlug: b.project.slug, userId: b.member.userId, role: "OWNER" }) },
  "members.remove": { input: (b) => ({ projectSlug: b.project.slug, userId: b.member.userId }) },
  "invites.list": { input: (b) => ({ projectSlug: b.project.slug }) },
  "invites.create": { input: (b) => ({ projectSlug: b.project.slug, role: "OWNER", expiresInDays: 7 }) },
  "invites.revoke": { input: (b) => ({ projectSlug: b.project.slug, inviteId: b.inviteId }) },
  "tokens.list": { input: (b) => ({ projectSlug: b.project.slug }) },
  "tokens.create": { input: (b) => ({ projectSlug: b.project.slug, name: "exfiltrate", scopes: ["read", "write"] }) },
  "tokens.revoke": { input: (b) => ({ projectSlug: b.project.slug, tokenId: b.tokenId }) },
  "audit.list": { input: (b) => ({ projectSlug: b.project.slug, limit: 50 }), viewerMay: true },
  "dashboard.kpis": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "dashboard.runsPerDay": { input: (b) => ({ projectSlug: b.project.slug, days: 7 }), viewerMay: true },
  "dashboard.bestRuns": { input: (b) => ({ projectSlug: b.project.slug, metricKey: "acc", direction: "max" }), viewerMay: true },
  "dashboard.metricKeys": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "dashboard.recentRuns": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "compare.runs": { input: (b) => ({ projectSlug: b.project.slug, runIds: b.runIds }), viewerMay: true },
  "runViews.list": { input: (b) => ({ projectSlug: b.project.slug, experimentId: "0" }), viewerMay: true },
  "runViews.save": {
    input: (b) => ({
      projectSlug: b.project.slug,
      experimentId: "0",
      name: "mine",
      state: { columns: { metrics: [], params: [], tags: [] }, filter: "", orderBy: [] },
    }),
    viewerMay: true,
  },
  "experiments.list": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "experiments.create": { input: (b) => ({ projectSlug: b.project.slug, name: "planted" }) },
  "experiments.rename": { input: (b) => ({ projectSlug: b.project.slug, experimentId: "0", name: "Renamed" }) },
  "experiments.delete": { input: (b) => ({ projectSlug: b.project.slug, experimentId: "0" }) },
  "experiments.restore": { input: (b) => ({ projectSlug: b.project.slug, experimentId: "0" }) },
  "runs.get": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0] }), viewerMay: true },
  "runs.history": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0], key: "acc" }), viewerMay: true },
  "runs.artifacts": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0] }), viewerMay: true },
  "runs.setTag": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0], key: "owned", value: "yes" }) },
  "runs.deleteTag": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0], key: "mlflow.runName" }) },
  "runs.setNote": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0], note: "defaced" }) },
  "runs.delete": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0] }) },
  "runs.restore": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0] }) },
  "runsTable.page": {
    input: (b) => ({ projectSlug: b.project.slug, experimentId: "0", columns: { metrics: ["acc"], params: [], tags: [] } }),
    viewerMay: true,
  },
  "runsTable.count": { input: (b) => ({ projectSlug: b.project.slug, experimentId: "0" }), viewerMay: true },
  "runsTable.keys": { input: (b) => ({ projectSlug: b.project.slug, experimentId: "0" }), viewerMay: true },
  "runViews.delete": { input: (b) => ({ projectSlug: b.project.slug, experimentId: "0", name: "mine" }), viewerMay: true },
  "registry.models.list": { input: (b) => ({ projectSlug: b.project.slug, filter: "name LIKE 'b-%'" }), viewerMay: true },
  "registry.models.get": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName }), viewerMay: true },
  "registry.models.create": { input: (b) => ({ projectSlug: b.project.slug, name: "planted-model" }) },
  "registry.models.updateDescription": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, description: "defaced" }) },
  "registry.models.setTag": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, key: "team", value: "intruder" }) },
  "registry.models.deleteTag": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, key: "team" }) },
  "registry.models.rename": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, newName: "stolen" }) },
  "registry.models.delete": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName }) },
  "registry.versions.get": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1 }), viewerMay: true },
  "registry.versions.filesRoot": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1 }), viewerMay: true },
  "registry.versions.files": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1 }), viewerMay: true },
  "registry.versions.signature": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1 }), viewerMay: true },
  "registry.versions.compare": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, other: 1 }), viewerMay: true },
  "registry.versions.updateDescription": {
    input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, description: "defaced" }),
  },
  "registry.versions.setTag": {
    input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, key: "validated", value: "no" }),
  },
  "registry.versions.deleteTag": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, key: "validated" }) },
  "registry.versions.transitionStage": {
    input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, stage: "Production", archiveExisting: true }),
  },
  "registry.aliases.set": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, alias: "hijacked" }) },
  "registry.aliases.delete": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, alias: "champion" }) },
  "registry.register": {
    input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0], loggedModelId: b.loggedModelId, name: b.modelName }),
  },
  "registry.forRun": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0] }), viewerMay: true },
  "modelCards.get": { input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName }), viewerMay: true },
  "modelCards.save": {
    input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName, baseRevision: 1, sections: { summary: "defaced" } }),
  },
  "modelCards.revisions": { input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName, version: 1 }), viewerMay: true },
  "modelCards.revision": { input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName, revision: 1 }), viewerMay: true },
  "modelCards.facts": { input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName, version: 1 }), viewerMay: true },
  "registry.models.stateAt": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, at: new Date() }), viewerMay: true },
  "promotions.request": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, target: "champion" }) },
  "promotions.preview": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, target: "Production" }), viewerMay: true },
  "promotions.get": { input: (b) => ({ projectSlug: b.project.slug, id: b.requestId }), viewerMay: true },
  "promotions.list": { input: (b) => ({ projectSlug: b.project.slug, view: "all" }), viewerMay: true },
  "promotions.decidableCount": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "promotions.pendingCount": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "promotions.decide": { input: (b) => ({ projectSlug: b.project.slug, id: b.requestId, decision: "APPROVE" }) },
  "promotions.cancel": { input: (b) => ({ projectSlug: b.project.slug, id: b.requestId }) },
  "policy.get": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "policy.revisions": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "policy.preview": { input: (b) => ({ projectSlug: b.project.slug, source: { yaml: "targets: []" } }) },
  "policy.update": { input: (b) => ({ projectSlug: b.project.slug, basedOnRevision: 0, source: { yaml: "targets: []" } }) },
};

/** Everything about B that any procedure could change. */
async function snapshot(projectId: string) {
  const [project, memberships, invites, tokens, auditEvents, experiments, runs, registeredModels, registryEvents, cardRevisions, policyRevisions, promotionRequests] = await Promise.all([
    db().project.findUnique({ where: { id: projectId }, select: { slug: true, name: true, updatedAt: true } }),
    db().membership.findMany({ where: { projectId }, select: { userId: true, role: true }, orderBy: { userId: "asc" } }),
    db().invite.findMany({
      where: { projectId },
      select: { id: true, role: true, acceptedAt: true, revokedAt: true, expiresAt: true },
      orderBy: { id: "asc" },
    }),
    db().apiToken.findMany({
      where: { projectId },
      select: { id: true, name: true, scopes: true, revokedAt: true },
      orderBy: { id: "asc" },
    }),
    db().auditEvent.count({ where: { projectId } }),
    db().experiment.findMany({ where: { projectId }, select: { number: true, name: true, lifecycleStage: true }, orderBy: { number: "asc" } }),
    db().run.findMany({
      where: { projectId },
      select: { id: true, lifecycleStage: true, tags: { select: { key: true, value: true }, orderBy: { key: "asc" } } },
      orderBy: { id: "asc" },
    }),
    db().registeredModel.findMany({
      where: { projectId },
      select: {
        name: true,
        description: true,
        lastVersion: true,
        updatedAt: true,
        tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
        aliases: { select: { alias: true, version: { select: { version: true } } }, orderBy: { alias: "asc" } },
        versions: {
          select: {
            version: true,
            stage: true,
            description: true,
            updatedAt: true,
            tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
          },
          orderBy: { version: "asc" },
        },
      },
      orderBy: { name: "asc" },
    }),
    db().registryEvent.count({ where: { projectId } }),
    db().modelCardRevision.findMany({
      where: { model: { projectId } },
      select: { target: true, revision: true, sections: true },
      orderBy: [{ target: "asc" }, { revision: "asc" }],
    }),
    db().policyRevision.findMany({ where: { projectId }, select: { revision: true, yaml: true }, orderBy: { revision: "asc" } }),
    db().promotionRequest.findMany({
      where: { projectId },
      select: { id: true, state: true, decisions: { select: { userId: true, decision: true } } },
      orderBy: { id: "asc" },
    }),
  ]);
  return { project, memberships, invites, tokens, auditEvents, experiments, runs, registeredModels, registryEvents, cardRevisions, policyRevisions, promotionRequests };
}

function call(actor: UserActor | null, path: string, input: unknown): Promise<unknown> {
  let target: unknown = callerFor(actor);
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

function inputFor(path: string) {
  const entry = INPUTS[path];
  if (!entry) throw new Error(`${path} takes projectSlug but has no entry in INPUTS: add one so it is checked`);
  return entry;
}

describe("tenant isolation over tRPC", () => {
  it("finds the project-scoped procedures in the router", () => {
    expect(projectScoped.length).toBeGreaterThanOrEqual(14);
    expect(projectScoped.map((p) => p.path)).toContain("tokens.create");
  });

  it("gives B a registered model with a tagged, aliased version, and watches it", async () => {
    const b = await createTarget();
    const { registeredModels, registryEvents } = await snapshot(b.project.id);
    expect(registeredModels).toEqual([
      expect.objectContaining({
        name: b.modelName,
        tags: [{ key: "team", value: "b" }],
        aliases: [{ alias: "champion", version: { version: 1 } }],
        versions: [expect.objectContaining({ version: 1, stage: "None", tags: [{ key: "validated", value: "yes" }] })],
      }),
    ]);
    expect(registryEvents).toBeGreaterThan(0);
  });

  it("recognises projectSlug behind the wrappers a router might add", () => {
    const base = z.object({ projectSlug: z.string(), name: z.string() });
    const wrapped = [
      base,
      base.transform((value) => value),
      base.optional(),
      base.default({ projectSlug: "x", name: "y" }),
      base.and(z.object({ extra: z.number() })),
      z.union([base, z.object({ other: z.string() })]),
      z.lazy(() => base),
    ];
    for (const schema of wrapped) expect(takesProjectSlug([schema])).toBe(true);
    expect(takesProjectSlug([z.object({ token: z.string() })])).toBe(false);
    expect(takesProjectSlug([z.object({ nested: base })])).toBe(false);
  });

  it("has an input for every procedure that takes projectSlug (and none for procedures that don't)", () => {
    expect(projectScoped.map((p) => p.path).sort()).toEqual(Object.keys(INPUTS).sort());
  });

  describe.each(["OWNER", "VIEWER"] as const)("a %s of project A", (roleInA: Role) => {
    it.each(projectScoped.map((p) => p.path))("gets NOT_FOUND from %s on project B, and B is unchanged", async (path) => {
      const entry = inputFor(path);
      const [b, { project: a, owner: ownerOfA }] = await Promise.all([createTarget(), createTestProject()]);
      const intruder = roleInA === "OWNER" ? ownerOfA : await addTestMember(a.id, roleInA);
      const before = await snapshot(b.project.id);

      const refused = await trpcErrorOf(call(intruder, path, entry.input(b, intruder)));
      expect(refused.code).toBe("NOT_FOUND");
      expect(refused.message).toContain(b.project.slug);
      expect(await snapshot(b.project.id)).toEqual(before);
    });
  });

  it("refuses ids of another project's rows passed along with one's own project", async () => {
    const [b, { project: a, owner }] = await Promise.all([createTarget(), createTestProject()]);
    const caller = callerFor(owner);
    const before = await snapshot(b.project.id);
    const attempts = [
      () => caller.tokens.revoke({ projectSlug: a.slug, tokenId: b.tokenId }),
      () => caller.invites.revoke({ projectSlug: a.slug, inviteId: b.inviteId }),
      () => caller.members.changeRole({ projectSlug: a.slug, userId: b.member.userId, role: "VIEWER" }),
      () => caller.members.remove({ projectSlug: a.slug, userId: b.member.userId }),
    ];
    for (const attempt of attempts) expect((await trpcErrorOf(attempt())).code).toBe("NOT_FOUND");
    expect(await snapshot(b.project.id)).toEqual(before);
  });

  it("lists only one's own projects", async () => {
    const [b, { project: a, owner }] = await Promise.all([createTarget(), createTestProject()]);
    const listed = await callerFor(owner).projects.list();
    expect(listed.map((p) => p.slug)).toEqual([a.slug]);
    expect(listed.map((p) => p.slug)).not.toContain(b.project.slug);
  });

  it("shows only the project's own audit events", async () => {
    const [b, { project: a, owner }] = await Promise.all([createTarget(), createTestProject()]);
    await callerFor(owner).projects.rename({ projectSlug: a.slug, name: `Renamed ${uniqueSuffix()}` });
    const page = await callerFor(owner).audit.list({ projectSlug: a.slug, limit: 200 });
    expect(page.events.length).toBeGreaterThan(0);
    const bEvents = await db().auditEvent.findMany({ where: { projectId: b.project.id }, select: { id: true } });
    const bIds = new Set(bEvents.map((e) => e.id.toString()));
    expect(bIds.size).toBeGreaterThan(0);
    expect(page.events.filter((e) => bIds.has(e.id))).toEqual([]);
  });
});

describe("roles inside a project", () => {
  const mutations = projectScoped.filter((p) => p.type === "mutation" && !INPUTS[p.path]?.viewerMay).map((p) => p.path);
  const viewerQueries = projectScoped.filter((p) => p.type === "query").map((p) => p.path);
  const viewerMutations = projectScoped.filter((p) => p.type === "mutation" && INPUTS[p.path]?.viewerMay).map((p) => p.path);

  it.each(mutations)("a viewer gets FORBIDDEN from %s and nothing changes", async (path) => {
    const entry = inputFor(path);
    const b = await createTarget();
    const viewer = await addTestMember(b.project.id, "VIEWER");
    const before = await snapshot(b.project.id);
    const refused = await trpcErrorOf(call(viewer, path, entry.input(b, viewer)));
    expect(refused.code).toBe("FORBIDDEN");
    expect(await snapshot(b.project.id)).toEqual(before);
  });

  it.each(viewerMutations)("a viewer may %s (their own things only)", async (path) => {
    const entry = inputFor(path);
    const b = await createTarget();
    const viewer = await addTestMember(b.project.id, "VIEWER");
    await expect(call(viewer, path, entry.input(b, viewer))).resolves.not.toThrow();
  });

  it.each(viewerQueries)("a viewer reading %s is allowed only where the role table says so", async (path) => {
    const entry = inputFor(path);
    const b = await createTarget();
    const viewer = await addTestMember(b.project.id, "VIEWER");
    const attempt = call(viewer, path, entry.input(b, viewer));
    if (entry.viewerMay) {
      await expect(attempt).resolves.toBeDefined();
    } else {
      expect((await trpcErrorOf(attempt)).code).toBe("FORBIDDEN");
    }
  });

  it.each(projectScoped.map((p) => p.path))("a signed-out caller gets UNAUTHORIZED from %s", async (path) => {
    const entry = inputFor(path);
    const b = await createTarget();
    const before = await snapshot(b.project.id);
    const refused = await trpcErrorOf(call(null, path, entry.input(b, b.member)));
    expect(refused.code).toBe("UNAUTHORIZED");
    expect(await snapshot(b.project.id)).toEqual(before);
  });

  it("lets the owner do what the others were refused (so the refusals above are about access)", async () => {
    const b = await createTarget();
    const caller = callerFor(b.owner);
    const slug = b.project.slug;
    await caller.tokens.revoke({ projectSlug: slug, tokenId: b.tokenId });
    await caller.invites.revoke({ projectSlug: slug, inviteId: b.inviteId });
    await caller.members.changeRole({ projectSlug: slug, userId: b.member.userId, role: "MAINTAINER" });
    await caller.projects.rename({ projectSlug: slug, name: "Renamed by its owner" });
    const after = await snapshot(b.project.id);
    expect(after.project?.name).toBe("Renamed by its owner");
    expect(after.tokens.every((t) => t.revokedAt !== null)).toBe(true);
    expect(after.invites.every((i) => i.revokedAt !== null)).toBe(true);
    expect(after.memberships).toContainEqual({ userId: b.member.userId, role: "MAINTAINER" });
    await caller.projects.delete({ projectSlug: slug, confirmSlug: slug });
    expect((await snapshot(b.project.id)).project).toBeNull();
  });
});
