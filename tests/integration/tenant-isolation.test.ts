import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hasScope, type Role, type Scope } from "@/lib/rbac";
import { db } from "@/server/db/client";
import { resolveProjectAccess, type UserActor } from "@/server/services/access";
import { createLoggedModel } from "@/server/services/logged-models";
import { createInvite } from "@/server/services/members";
import { addProjectCardSection, saveModelCard } from "@/server/services/model-cards";
import { createModelVersion, createRegisteredModel, setModelVersionTag, setRegisteredModelTag } from "@/server/services/registry";
import { requestPromotion, setModelAlias } from "@/server/services/promotions";
import { createRun, logInputs } from "@/server/services/runs";
import { createWebhook, listDeliveries, sendTestEvent } from "@/server/services/webhooks";
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
  const loggedModel = await createLoggedModel(access, { experimentId: "0", name: "clf", sourceRunId: first.id, params: [], tags: [] });
  const model = await createRegisteredModel(access, { name: "b-model", description: "B's own" });
  await createModelVersion(access, model.name, { source: `models:/${loggedModel.id}`, runId: first.id });
  // A dataset the first run consumed, with a column schema for the schema diff.
  const datasetSchema = JSON.stringify({ mlflow_colspec: [{ type: "double", name: "amount", required: true }] });
  await logInputs(access, first.id, [
    { dataset: { name: "b-data", digest: "b0d1", sourceType: "local", source: "/data/b.csv", schema: datasetSchema }, tags: [{ key: "mlflow.data.context", value: "train" }] },
  ]);
  const [cardSection] = await Promise.all([
    addProjectCardSection(access, "B's review"),
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
  // A webhook with one delivery (a test event).
  const webhook = await createWebhook(access, {
    name: "b-hook",
    url: "https://93.184.215.14/b",
    secret: "b-secret-0123456789",
    events: ["version.created"],
    format: "tally",
    active: true,
  });
  await sendTestEvent(access, webhook.id);
  const [delivery] = (await listDeliveries(access, webhook.id, { limit: 1 })).deliveries;
  return {
    project,
    owner,
    member,
    requestId: request.id,
    inviteId: invite.id,
    tokenId: token.id,
    runIds: [first.id, second.id],
    modelName: model.name,
    datasetName: "b-data",
    datasetDigest: "b0d1",
    loggedModelId: loggedModel.id,
    cardSectionId: cardSection.id,
    webhookId: webhook.id,
    deliveryId: delivery!.id,
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
  "savedViews.list": { input: (b) => ({ projectSlug: b.project.slug, experimentId: "0" }), viewerMay: true },
  "savedViews.save": {
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
  "runs.reproduce": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0] }), viewerMay: true },
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
  "savedViews.delete": { input: (b) => ({ projectSlug: b.project.slug, experimentId: "0", name: "mine" }), viewerMay: true },
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
    input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, stage: "Staging", archiveExisting: true }),
  },
  "registry.aliases.set": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, version: 1, alias: "hijacked" }) },
  "registry.aliases.delete": { input: (b) => ({ projectSlug: b.project.slug, name: b.modelName, alias: "champion" }) },
  "registry.register": {
    input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0], loggedModelId: b.loggedModelId, name: b.modelName }),
  },
  "registry.forRun": { input: (b) => ({ projectSlug: b.project.slug, runId: b.runIds[0] }), viewerMay: true },
  "lineage.graph": { input: (b) => ({ projectSlug: b.project.slug, node: `run:${b.runIds[0]}`, direction: "both", depth: 3 }), viewerMay: true },
  "lineage.impact": { input: (b) => ({ projectSlug: b.project.slug, query: { dataset: b.datasetName } }), viewerMay: true },
  "datasets.list": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "datasets.get": { input: (b) => ({ projectSlug: b.project.slug, name: b.datasetName }), viewerMay: true },
  "datasets.versionRuns": { input: (b) => ({ projectSlug: b.project.slug, name: b.datasetName, digest: b.datasetDigest }), viewerMay: true },
  "datasets.schemaDiff": {
    input: (b) => ({ projectSlug: b.project.slug, name: b.datasetName, digestA: b.datasetDigest, digestB: b.datasetDigest }),
    viewerMay: true,
  },
  "modelCards.get": { input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName }), viewerMay: true },
  "modelCards.save": {
    input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName, baseRevision: 1, sections: { summary: "defaced" } }),
  },
  "modelCards.revisions": { input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName, version: 1 }), viewerMay: true },
  "modelCards.revision": { input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName, revision: 1 }), viewerMay: true },
  "modelCards.facts": { input: (b) => ({ projectSlug: b.project.slug, modelName: b.modelName, version: 1 }), viewerMay: true },
  "modelCards.projectSections.list": { input: (b) => ({ projectSlug: b.project.slug }), viewerMay: true },
  "modelCards.projectSections.add": { input: (b) => ({ projectSlug: b.project.slug, title: "Planted" }) },
  "modelCards.projectSections.rename": { input: (b) => ({ projectSlug: b.project.slug, sectionId: b.cardSectionId, title: "Defaced" }) },
  "modelCards.projectSections.remove": { input: (b) => ({ projectSlug: b.project.slug, sectionId: b.cardSectionId }) },
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
  "webhooks.list": { input: (b) => ({ projectSlug: b.project.slug }) },
  "webhooks.create": {
    input: (b) => ({ projectSlug: b.project.slug, name: "exfiltrate", url: "https://93.184.215.14/x", secret: "0123456789abcdef", events: ["version.created"] }),
  },
  "webhooks.update": { input: (b) => ({ projectSlug: b.project.slug, webhookId: b.webhookId, changes: { url: "https://93.184.215.15/x" } }) },
  "webhooks.delete": { input: (b) => ({ projectSlug: b.project.slug, webhookId: b.webhookId }) },
  "webhooks.deliveries": { input: (b) => ({ projectSlug: b.project.slug, webhookId: b.webhookId }) },
  "webhooks.sendTest": { input: (b) => ({ projectSlug: b.project.slug, webhookId: b.webhookId }) },
  "webhooks.redeliver": { input: (b) => ({ projectSlug: b.project.slug, deliveryId: b.deliveryId }) },
};

/**
 * The scope each project-scoped procedure needs with the INPUTS above (docs/permissions.md's
 * matrix). Edges only resolve membership, so this is checked against the services themselves: the
 * strongest role without the scope is refused and changes nothing, the weakest role with it is not
 * refused. `members.remove` removes someone else here, which needs members:manage.
 */
/** A procedure whose permission depends on data (the approval policy, who made a request), not on one scope. */
const CONTEXT = "decided by context";
const NEEDS: Record<string, Scope | typeof CONTEXT> = {
  "projects.get": "project:read",
  "projects.rename": "project:update",
  "projects.delete": "project:delete",
  "members.list": "project:read",
  "members.add": "members:manage",
  "members.changeRole": "members:manage",
  "members.remove": "members:manage",
  "invites.list": "members:manage",
  "invites.create": "members:manage",
  "invites.revoke": "members:manage",
  "tokens.list": "apiTokens:manage",
  "tokens.create": "apiTokens:manage",
  "tokens.revoke": "apiTokens:manage",
  "audit.list": "audit:read",
  "dashboard.kpis": "project:read",
  "dashboard.runsPerDay": "project:read",
  "dashboard.bestRuns": "project:read",
  "dashboard.metricKeys": "project:read",
  "dashboard.recentRuns": "project:read",
  "compare.runs": "project:read",
  "savedViews.list": "project:read",
  "savedViews.save": "project:read",
  "savedViews.delete": "project:read",
  "experiments.list": "project:read",
  "experiments.create": "runs:write",
  "experiments.rename": "runs:write",
  "experiments.delete": "runs:delete",
  "experiments.restore": "runs:delete",
  "runs.get": "project:read",
  "runs.history": "project:read",
  "runs.artifacts": "project:read",
  "runs.reproduce": "project:read",
  "runs.setTag": "runs:write",
  "runs.deleteTag": "runs:write",
  "runs.setNote": "runs:write",
  "runs.delete": "runs:delete",
  "runs.restore": "runs:delete",
  "runsTable.page": "project:read",
  "runsTable.count": "project:read",
  "runsTable.keys": "project:read",
  "registry.models.list": "project:read",
  "registry.models.get": "project:read",
  "registry.models.stateAt": "project:read",
  "registry.models.create": "registry:write",
  "registry.models.updateDescription": "registry:write",
  "registry.models.setTag": "registry:write",
  "registry.models.deleteTag": "registry:write",
  "registry.models.rename": "registry:write",
  "registry.models.delete": "registry:delete",
  "registry.versions.get": "project:read",
  "registry.versions.filesRoot": "project:read",
  "registry.versions.files": "project:read",
  "registry.versions.signature": "project:read",
  "registry.versions.compare": "project:read",
  "registry.versions.updateDescription": "registry:write",
  "registry.versions.setTag": "registry:write",
  "registry.versions.deleteTag": "registry:write",
  "registry.versions.transitionStage": "registry:write",
  "registry.aliases.set": "registry:write",
  // Removing a protected alias (B's champion) is for those the approval policy names.
  "registry.aliases.delete": CONTEXT,
  "registry.register": "registry:write",
  "registry.forRun": "project:read",
  "lineage.graph": "project:read",
  "lineage.impact": "project:read",
  "datasets.list": "project:read",
  "datasets.get": "project:read",
  "datasets.versionRuns": "project:read",
  "datasets.schemaDiff": "project:read",
  "modelCards.get": "project:read",
  "modelCards.save": "modelCards:write",
  "modelCards.revisions": "project:read",
  "modelCards.revision": "project:read",
  "modelCards.facts": "project:read",
  "modelCards.projectSections.list": "project:read",
  "modelCards.projectSections.add": "modelCards:configure",
  "modelCards.projectSections.rename": "modelCards:configure",
  "modelCards.projectSections.remove": "modelCards:configure",
  "promotions.request": "promotions:request",
  "promotions.preview": "project:read",
  "promotions.get": "project:read",
  "promotions.list": "project:read",
  "promotions.decidableCount": "project:read",
  "promotions.pendingCount": "project:read",
  // Who decides depends on the policy's gate and on who requested (tests/integration/promotions.test.ts).
  "promotions.decide": CONTEXT,
  // Only the requester cancels.
  "promotions.cancel": CONTEXT,
  "policy.get": "project:read",
  "policy.revisions": "project:read",
  "policy.preview": "policy:manage",
  "policy.update": "policy:manage",
  "webhooks.list": "webhooks:manage",
  "webhooks.create": "webhooks:manage",
  "webhooks.update": "webhooks:manage",
  "webhooks.delete": "webhooks:manage",
  "webhooks.deliveries": "webhooks:manage",
  "webhooks.sendTest": "webhooks:manage",
  "webhooks.redeliver": "webhooks:manage",
};

/** Roles from weakest to strongest. */
const ROLES_ASCENDING: Role[] = ["VIEWER", "MEMBER", "MAINTAINER", "OWNER"];

function needOf(path: string): Scope {
  const scope = NEEDS[path];
  if (!scope) throw new Error(`${path} takes projectSlug but has no entry in NEEDS: add the scope it needs`);
  if (scope === CONTEXT) throw new Error(`${path} is decided by context, not by one scope`);
  return scope;
}

/** The procedures one scope decides (the others have tests of their own rules). */
const scoped = (paths: string[]) => paths.filter((path) => NEEDS[path] !== CONTEXT);

/** Everything about B that any procedure could change. */
async function snapshot(projectId: string) {
  const [project, memberships, invites, tokens, auditEvents, experiments, runs, registeredModels, registryEvents, cardRevisions, cardSections, policyRevisions, promotionRequests, webhooks] = await Promise.all([
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
    db().projectCardSection.findMany({ where: { projectId }, select: { id: true, title: true, position: true, removedAt: true }, orderBy: { id: "asc" } }),
    db().policyRevision.findMany({ where: { projectId }, select: { revision: true, yaml: true }, orderBy: { revision: "asc" } }),
    db().promotionRequest.findMany({
      where: { projectId },
      select: { id: true, state: true, decisions: { select: { userId: true, decision: true } } },
      orderBy: { id: "asc" },
    }),
    db().webhook.findMany({
      where: { projectId },
      select: {
        id: true,
        name: true,
        url: true,
        secretEncrypted: true,
        events: true,
        active: true,
        deliveries: { select: { id: true, status: true, attempts: true, nextAttemptAt: true }, orderBy: { id: "asc" } },
      },
      orderBy: { id: "asc" },
    }),
  ]);
  return { project, memberships, invites, tokens, auditEvents, experiments, runs, registeredModels, registryEvents, cardRevisions, cardSections, policyRevisions, promotionRequests, webhooks };
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
      () => caller.modelCards.projectSections.rename({ projectSlug: a.slug, sectionId: b.cardSectionId, title: "Defaced" }),
      () => caller.modelCards.projectSections.remove({ projectSlug: a.slug, sectionId: b.cardSectionId }),
      () => caller.webhooks.update({ projectSlug: a.slug, webhookId: b.webhookId, changes: { active: false } }),
      () => caller.webhooks.delete({ projectSlug: a.slug, webhookId: b.webhookId }),
      () => caller.webhooks.deliveries({ projectSlug: a.slug, webhookId: b.webhookId }),
      () => caller.webhooks.sendTest({ projectSlug: a.slug, webhookId: b.webhookId }),
      () => caller.webhooks.redeliver({ projectSlug: a.slug, deliveryId: b.deliveryId }),
      () => caller.lineage.graph({ projectSlug: a.slug, node: `run:${b.runIds[0]}` }),
      () => caller.lineage.graph({ projectSlug: a.slug, node: `dataset:${b.datasetName}@${b.datasetDigest}` }),
      () => caller.lineage.graph({ projectSlug: a.slug, node: `version:${b.modelName}/1` }),
      () => caller.lineage.graph({ projectSlug: a.slug, node: `model:${b.loggedModelId}` }),
      () => caller.lineage.graph({ projectSlug: a.slug, node: `alias:${b.modelName}@champion` }),
      () => caller.lineage.impact({ projectSlug: a.slug, query: { dataset: b.datasetName } }),
      () => caller.lineage.impact({ projectSlug: a.slug, query: { model: b.loggedModelId } }),
      () => caller.runs.reproduce({ projectSlug: a.slug, runId: b.runIds[0]! }),
      () => caller.datasets.get({ projectSlug: a.slug, name: b.datasetName }),
      () => caller.datasets.versionRuns({ projectSlug: a.slug, name: b.datasetName, digest: b.datasetDigest }),
      () => caller.datasets.schemaDiff({ projectSlug: a.slug, name: b.datasetName, digestA: b.datasetDigest, digestB: b.datasetDigest }),
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

  it("names the scope of every procedure that takes projectSlug, agreeing with viewerMay", () => {
    expect(Object.keys(NEEDS).sort()).toEqual(projectScoped.map((p) => p.path).sort());
    for (const path of scoped(Object.keys(NEEDS))) expect([path, hasScope("VIEWER", needOf(path))]).toEqual([path, INPUTS[path]?.viewerMay === true]);
  });

  const guarded = scoped(projectScoped.map((p) => p.path)).filter((path) => !ROLES_ASCENDING.every((role) => hasScope(role, needOf(path))));

  it.each(guarded)("the strongest role without the scope %s needs is FORBIDDEN and nothing changes", async (path) => {
    const scope = needOf(path);
    const role = ROLES_ASCENDING.filter((candidate) => !hasScope(candidate, scope)).at(-1)!;
    const b = await createTarget();
    const caller = await addTestMember(b.project.id, role);
    const before = await snapshot(b.project.id);
    const refused = await trpcErrorOf(call(caller, path, inputFor(path).input(b, caller)));
    expect(refused).toEqual({ code: "FORBIDDEN", message: expect.stringContaining(scope) });
    expect(await snapshot(b.project.id)).toEqual(before);
  });

  it.each(scoped(projectScoped.map((p) => p.path)))("the weakest role with the scope %s needs is not refused", async (path) => {
    const role = ROLES_ASCENDING.find((candidate) => hasScope(candidate, needOf(path)))!;
    const b = await createTarget();
    const caller = role === "OWNER" ? b.owner : await addTestMember(b.project.id, role);
    const outcome = await call(caller, path, inputFor(path).input(b, caller)).then(
      () => "allowed",
      (error: unknown) => {
        if (error instanceof TRPCError) return error.code;
        throw error;
      },
    );
    expect(outcome).not.toBe("FORBIDDEN");
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
