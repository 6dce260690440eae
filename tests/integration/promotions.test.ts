import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role, TokenScope } from "@/lib/rbac";
import { GET as getRequestRoute } from "@/app/api/v1/projects/[slug]/promotion-requests/[id]/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/projects/[slug]/promotion-requests/route";
import { db } from "@/server/db/client";
import { resolveProjectAccess, type ProjectAccess, type UserActor } from "@/server/services/access";
import { createToken } from "@/server/services/api-tokens";
import { updatePolicy } from "@/server/services/policy";
import { decidePromotion, expireDueRequests, requestPromotion, transitionModelVersionStage } from "@/server/services/promotions";
import { createModelVersion, createRegisteredModel } from "@/server/services/registry";
import { addTestMember, callerFor, createTestProject, mlflowRequest, systemActor, trpcErrorOf, uniqueSuffix } from "../factories";

/**
 * Role-gated promotions: who moves a version to a stage or an alias directly, who gets a promotion
 * request instead, who is refused; and the decisions on those requests. Default policy unless a test
 * sets one: Production and the aliases champion and production gated, owners approve, four eyes.
 */

type Project = Awaited<ReturnType<typeof createTestProject>>["project"];
interface Team {
  project: Project;
  system: ProjectAccess;
  users: Record<Role, UserActor>;
  tokens: Record<TokenScope, string>;
}

async function team(): Promise<Team> {
  const { project, owner } = await createTestProject();
  const system = await resolveProjectAccess(systemActor, project.slug);
  const users = {
    OWNER: owner,
    MAINTAINER: await addTestMember(project.id, "MAINTAINER"),
    MEMBER: await addTestMember(project.id, "MEMBER"),
    VIEWER: await addTestMember(project.id, "VIEWER"),
  };
  const token = async (scope: TokenScope) => (await createToken(system, { name: `${scope}-${uniqueSuffix()}`, scopes: [scope] })).plaintext;
  return { project, system, users, tokens: { read: await token("read"), write: await token("write"), promote: await token("promote") } };
}

async function model(t: Team, versions = 2): Promise<string> {
  const name = `m-${uniqueSuffix()}`;
  await createRegisteredModel(t.system, { name });
  for (let i = 0; i < versions; i++) await createModelVersion(t.system, name, { source: `mlflow-artifacts:/m/${i}` });
  return name;
}

const access = (t: Team, role: Role) => resolveProjectAccess(t.users[role], t.project.slug);

async function stageOf(t: Team, name: string, version: number) {
  const row = await db().modelVersion.findFirstOrThrow({ where: { version, model: { projectId: t.project.id, name } } });
  return row.stage;
}
async function aliasOf(t: Team, name: string, alias: string) {
  const row = await db().modelAlias.findFirst({ where: { alias, model: { projectId: t.project.id, name } }, include: { version: true } });
  return row?.version.version ?? null;
}
const requestsFor = (t: Team, name: string) => db().promotionRequest.findMany({ where: { projectId: t.project.id, modelName: name } });

async function setPolicy(t: Team, yaml: string) {
  await updatePolicy(await access(t, "OWNER"), { yaml });
}

/** A version whose source run logged these metrics (and optionally a dataset with a digest). */
async function versionWithMetrics(t: Team, name: string, metrics: Record<string, number>): Promise<number> {
  const call = (endpoint: string, fields: Record<string, unknown>) => mlflowRequest({ projectSlug: t.project.slug, token: t.tokens.write }, "POST", endpoint, fields);
  const run = (await call("runs/create", { experiment_id: "0" })).body as { run: { info: { run_id: string } } };
  const runId = run.run.info.run_id;
  await call("runs/log-batch", { run_id: runId, metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: Date.now(), step: 0 })) });
  const created = (await call("model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId })).body as { model_version: { version: string } };
  return Number(created.model_version.version);
}

describe("who moves what: every role and token x every kind of target x its channel", () => {
  let t: Team;
  beforeAll(async () => {
    t = await team();
  });

  type Outcome = "direct" | "request" | "refused";
  const TARGETS = [
    { kind: "ungated stage", stage: "Staging" },
    { kind: "gated stage", stage: "Production" },
    { kind: "unprotected alias", alias: "challenger" },
    { kind: "protected alias", alias: "champion" },
  ] as const;
  // [actor, outcome per target in TARGETS order]
  const USERS: [Role, Outcome[]][] = [
    ["VIEWER", ["refused", "refused", "refused", "refused"]],
    ["MEMBER", ["direct", "request", "direct", "request"]],
    ["MAINTAINER", ["direct", "request", "direct", "request"]],
    // Four eyes by default: even an owner asks another owner.
    ["OWNER", ["direct", "request", "direct", "request"]],
  ];
  const TOKENS: [TokenScope, Outcome[]][] = [
    ["read", ["refused", "refused", "refused", "refused"]],
    ["write", ["direct", "refused", "direct", "refused"]],
    ["promote", ["refused", "request", "refused", "request"]],
  ];

  async function check(name: string, target: (typeof TARGETS)[number], outcome: Outcome, error: { message: string } | null) {
    const requests = await requestsFor(t, name);
    const holder = "stage" in target ? ((await stageOf(t, name, 1)) === target.stage ? 1 : null) : await aliasOf(t, name, target.alias);
    if (outcome === "direct") {
      expect(error).toBeNull();
      expect(holder).toBe(1);
      expect(requests).toEqual([]);
      return;
    }
    expect(error).not.toBeNull();
    expect(holder).toBeNull();
    if (outcome === "request") {
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ version: 1, state: "PENDING", targetName: "stage" in target ? target.stage : target.alias });
      expect(error!.message).toContain("needs approval");
      expect(error!.message).toContain(`/projects/${t.project.slug}/requests/${requests[0]!.id}`);
    } else {
      expect(requests).toEqual([]);
    }
  }

  for (const [role, outcomes] of USERS) {
    TARGETS.forEach((target, index) => {
      it(`${role} through tRPC, ${target.kind}: ${outcomes[index]}`, async () => {
        const name = await model(t);
        const caller = callerFor(t.users[role]);
        const call =
          "stage" in target
            ? caller.registry.versions.transitionStage({ projectSlug: t.project.slug, name, version: 1, stage: target.stage, archiveExisting: false })
            : caller.registry.aliases.set({ projectSlug: t.project.slug, name, version: 1, alias: target.alias });
        const error = await call.then(() => null, (caught: unknown) => caught as { message: string; code: string });
        if (error) expect(error.code).toBe("FORBIDDEN");
        await check(name, target, outcomes[index]!, error);
      });
    });
  }

  for (const [scope, outcomes] of TOKENS) {
    TARGETS.forEach((target, index) => {
      it(`a ${scope} token through the MLflow API, ${target.kind}: ${outcomes[index]}`, async () => {
        const name = await model(t);
        const response =
          "stage" in target
            ? await mlflowRequest({ projectSlug: t.project.slug, token: t.tokens[scope] }, "POST", "model-versions/transition-stage", {
                name,
                version: "1",
                stage: target.stage,
                archive_existing_versions: false,
              })
            : await mlflowRequest({ projectSlug: t.project.slug, token: t.tokens[scope] }, "POST", "registered-models/alias", { name, alias: target.alias, version: "1" });
        const error = response.status === 200 ? null : (response.body as { message: string; error_code: string });
        if (error) {
          expect(response.status).toBe(403);
          expect(error.error_code).toBe("PERMISSION_DENIED");
        }
        await check(name, target, outcomes[index]!, error);
        if (outcomes[index] === "request") expect(error!.message).toContain(`http://tally.test/projects/${t.project.slug}/requests/`);
      });
    });
  }
});

describe("decisions", () => {
  it("four eyes: the requester cannot approve; another owner can, and the move carries the request", async () => {
    const t = await team();
    const second = await addTestMember(t.project.id, "OWNER");
    const name = await model(t);
    const owner = callerFor(t.users.OWNER);
    const request = await owner.promotions.request({ projectSlug: t.project.slug, name, version: 1, target: "Production", comment: "ship it" });
    expect(request).toMatchObject({ state: "PENDING", requiredApprovals: 1, requester: { type: "USER", label: t.users.OWNER.email } });
    const own = await trpcErrorOf(owner.promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE" }));
    expect(own).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("Four eyes") });
    const { abilities } = await owner.promotions.get({ projectSlug: t.project.slug, id: request.id });
    expect(abilities).toMatchObject({ approve: false, cancel: true, approveBlockedBy: expect.stringContaining("Four eyes") });
    const member = await trpcErrorOf(callerFor(t.users.MAINTAINER).promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE" }));
    expect(member).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("only owners") });
    expect(await stageOf(t, name, 1)).toBe("None");

    const approved = await callerFor(second).promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE", comment: "looks good" });
    expect(approved).toMatchObject({ state: "APPROVED", approvals: 1, decisions: [{ userLabel: second.email, decision: "APPROVE", role: "OWNER" }] });
    expect(await stageOf(t, name, 1)).toBe("Production");
    const moves = await db().registryEvent.findMany({ where: { projectId: t.project.id, modelName: name, kind: "version.stage" } });
    expect(moves).toEqual([expect.objectContaining({ version: 1, requestId: request.id, actorLabel: second.email })]);
    const kinds = (await db().registryEvent.findMany({ where: { requestId: request.id }, orderBy: { id: "asc" } })).map((row) => row.kind);
    expect(kinds).toEqual(["promotion.request", "promotion.approve", "version.stage"]);
    const audit = await db().auditEvent.findMany({ where: { projectId: t.project.id, action: { in: ["registry.promotion.approve", "registry.version.stage"] } } });
    expect(audit.map((event) => event.action).sort()).toEqual(["registry.promotion.approve", "registry.version.stage"]);
    const outbox = await db().webhookEvent.findMany({ where: { projectId: t.project.id, kind: { in: ["promotion.requested", "promotion.approved", "stage.changed"] } } });
    expect(outbox.map((event) => event.kind).sort()).toEqual(["promotion.approved", "promotion.requested", "stage.changed"]);
  });

  it("two approvals from distinct people; the same person twice counts once", async () => {
    const t = await team();
    await setPolicy(t, "targets:\n  - stage: Production\n    approvers: [owner, maintainer]\n    approvals: 2\n");
    const name = await model(t);
    const request = await requestPromotion(await access(t, "MEMBER"), { name, version: 2, target: { kind: "stage", stage: "Production" } });
    const maintainer = callerFor(t.users.MAINTAINER);
    const first = await maintainer.promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE" });
    expect(first).toMatchObject({ state: "PENDING", approvals: 1 });
    expect(await stageOf(t, name, 2)).toBe("None");
    expect(await trpcErrorOf(maintainer.promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE" }))).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("already decided"),
    });
    const second = await callerFor(t.users.OWNER).promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE" });
    expect(second).toMatchObject({ state: "APPROVED", approvals: 2 });
    expect(await stageOf(t, name, 2)).toBe("Production");
  });

  it("a failing check blocks approval with its numbers, and the request keeps the fresh evidence", async () => {
    const t = await team();
    await setPolicy(t, "targets:\n  - stage: Production\n    checks:\n      - metrics.accuracy >= current\n");
    const name = await model(t, 0);
    const holder = await versionWithMetrics(t, name, { accuracy: 0.9 });
    await transitionModelVersionStage(t.system, name, holder, { stage: "Production", archiveExisting: false });
    const candidate = await versionWithMetrics(t, name, { accuracy: 0.85 });
    const request = await requestPromotion(await access(t, "MEMBER"), { name, version: candidate, target: { kind: "stage", stage: "Production" } });
    expect(request.evidence.checksPass).toBe(false);
    expect(request.evidence.holder?.version).toBe(holder);
    expect(request.evidence.metrics).toContainEqual({ key: "accuracy", candidate: 0.85, holder: 0.9, direction: "higher" });
    expect(request.evidence.checks[0]).toMatchObject({ kind: "metric", passed: false, candidate: 0.85, current: 0.9, threshold: 0.9 });
    const refused = await trpcErrorOf(callerFor(t.users.OWNER).promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE" }));
    expect(refused).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("accuracy 0.85 not >= 0.9") });
    const after = await db().promotionRequest.findUniqueOrThrow({ where: { id: request.id }, include: { decisions: true } });
    expect(after).toMatchObject({ state: "PENDING", decisions: [] });
    expect(await stageOf(t, name, candidate)).toBe("None");
    expect(await db().registryEvent.count({ where: { requestId: request.id, kind: "promotion.approve" } })).toBe(0);
    // The outbox holds an approval only when one committed.
    expect(await db().webhookEvent.count({ where: { projectId: t.project.id, kind: "promotion.approved" } })).toBe(0);
  });

  it("refuses an approval when the target's holder changed since the request", async () => {
    const t = await team();
    const name = await model(t);
    const request = await requestPromotion(await access(t, "MEMBER"), { name, version: 2, target: { kind: "stage", stage: "Production" } });
    await transitionModelVersionStage(t.system, name, 1, { stage: "Production", archiveExisting: false });
    const refused = await trpcErrorOf(callerFor(t.users.OWNER).promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE" }));
    expect(refused).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Production is held by v1 now, not no version") });
    const fresh = await db().promotionRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect((fresh.evidence as { holder: { version: number } }).holder.version).toBe(1);
    expect(await stageOf(t, name, 2)).toBe("None");
  });

  it("a freeze window blocks approval while it lasts", async () => {
    const t = await team();
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    await setPolicy(t, `targets:\n  - stage: Production\n    freeze:\n      - from: ${from}\n        to: ${to}\n        reason: Release freeze\n`);
    const name = await model(t);
    const request = await requestPromotion(await access(t, "MEMBER"), { name, version: 1, target: { kind: "stage", stage: "Production" } });
    expect(request.evidence.checks).toEqual([expect.objectContaining({ kind: "freeze", passed: false })]);
    const refused = await trpcErrorOf(callerFor(t.users.OWNER).promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE" }));
    expect(refused.message).toContain("Release freeze");
    expect(await stageOf(t, name, 1)).toBe("None");
  });

  it("pending requests expire once, and an expired request cannot be approved", async () => {
    const t = await team();
    const name = await model(t);
    const request = await requestPromotion(await access(t, "MEMBER"), { name, version: 1, target: { kind: "alias", alias: "champion" } });
    await db().promotionRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const refused = await trpcErrorOf(callerFor(t.users.OWNER).promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "APPROVE" }));
    expect(refused).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("expired") });
    const [a, b] = await Promise.all([expireDueRequests(), expireDueRequests()]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect(await db().promotionRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: "EXPIRED" });
    expect(await db().registryEvent.count({ where: { requestId: request.id, kind: "promotion.expire" } })).toBe(1);
    expect(await aliasOf(t, name, "champion")).toBeNull();
  });

  it("a request claimed by an expiry pass whose process dies mid-way is expired by the next pass, once", async () => {
    const t = await team();
    const name = await model(t);
    const request = await requestPromotion(await access(t, "MEMBER"), { name, version: 1, target: { kind: "alias", alias: "champion" } });
    await db().promotionRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const replica = spawn(process.execPath, ["--import", "tsx", "tests/support/claim-and-hang.ts", request.id], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const claimed = await new Promise<string>((resolve) => createInterface({ input: replica.stdout! }).once("line", resolve));
    expect(claimed).toBe(`claimed ${request.id}`);
    // Held by the other process: this pass skips it.
    await expireDueRequests();
    expect((await db().promotionRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe("PENDING");

    replica.kill("SIGKILL");
    await new Promise((resolve) => replica.once("exit", resolve));
    for (let pass = 0; pass < 50; pass++) {
      await expireDueRequests();
      if ((await db().promotionRequest.findUniqueOrThrow({ where: { id: request.id } })).state === "EXPIRED") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await db().promotionRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe("EXPIRED");
    expect(await db().registryEvent.count({ where: { requestId: request.id, kind: "promotion.expire" } })).toBe(1);
  });

  it("two owners approving at the same moment make exactly one move; other pending requests are superseded", async () => {
    const t = await team();
    const second = await addTestMember(t.project.id, "OWNER");
    const name = await model(t);
    const member = await access(t, "MEMBER");
    const other = await requestPromotion(member, { name, version: 2, target: { kind: "stage", stage: "Production" } });
    const request = await requestPromotion(member, { name, version: 1, target: { kind: "stage", stage: "Production" }, archiveExisting: true });
    const results = await Promise.allSettled([
      decidePromotion(await access(t, "OWNER"), request.id, "APPROVE"),
      decidePromotion(await resolveProjectAccess(second, t.project.slug), request.id, "APPROVE"),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(results.find((result) => result.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    expect(await db().registryEvent.count({ where: { requestId: request.id, kind: "version.stage" } })).toBe(1);
    expect(await db().promotionRequest.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({
      state: "SUPERSEDED",
      resolution: expect.stringContaining(request.id),
    });
  });

  it("tokens never decide; a rejection needs a reason; only the requester cancels", async () => {
    const t = await team();
    const name = await model(t);
    const request = await requestPromotion(await access(t, "MEMBER"), { name, version: 1, target: { kind: "stage", stage: "Production" } });
    const tokenAccess = await (async () => {
      const { authenticateToken } = await import("@/server/services/api-tokens");
      return resolveProjectAccess(await authenticateToken(t.tokens.write, undefined), t.project.slug);
    })();
    await expect(decidePromotion(tokenAccess, request.id, "APPROVE")).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("never an API token") });
    const owner = callerFor(t.users.OWNER);
    expect((await trpcErrorOf(owner.promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "REJECT" }))).message).toContain("needs a comment");
    expect((await trpcErrorOf(owner.promotions.cancel({ projectSlug: t.project.slug, id: request.id }))).message).toContain("Only the requester");
    const rejected = await owner.promotions.decide({ projectSlug: t.project.slug, id: request.id, decision: "REJECT", comment: "no eval on the holdout set" });
    expect(rejected).toMatchObject({ state: "REJECTED", resolution: "no eval on the holdout set" });
    const again = await requestPromotion(await access(t, "MEMBER"), { name, version: 1, target: { kind: "stage", stage: "Production" } });
    const cancelled = await callerFor(t.users.MEMBER).promotions.cancel({ projectSlug: t.project.slug, id: again.id });
    expect(cancelled.state).toBe("CANCELLED");
    expect(await stageOf(t, name, 1)).toBe("None");
  });

  it("an identical pending request is returned, not doubled; ungated targets refuse a request", async () => {
    const t = await team();
    const name = await model(t);
    const member = await access(t, "MEMBER");
    const first = await requestPromotion(member, { name, version: 1, target: { kind: "alias", alias: "champion" } });
    const second = await requestPromotion(member, { name, version: 1, target: { kind: "alias", alias: "champion" } });
    expect(second.id).toBe(first.id);
    await expect(requestPromotion(member, { name, version: 1, target: { kind: "stage", stage: "Staging" } })).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining("needs no approval"),
    });
    expect(await requestsFor(t, name)).toHaveLength(1);
  });

  it("lists what I can decide, my own, and all", async () => {
    const t = await team();
    const name = await model(t);
    const mine = await requestPromotion(await access(t, "OWNER"), { name, version: 1, target: { kind: "stage", stage: "Production" } });
    const theirs = await requestPromotion(await access(t, "MEMBER"), { name, version: 2, target: { kind: "alias", alias: "champion" } });
    const owner = callerFor(t.users.OWNER);
    const ids = async (view: "decidable" | "mine" | "all") => (await owner.promotions.list({ projectSlug: t.project.slug, view })).requests.map((r) => r.id);
    expect(await ids("decidable")).toEqual([theirs.id]);
    expect(await ids("mine")).toEqual([mine.id]);
    expect(await ids("all")).toEqual([theirs.id, mine.id]);
    expect(await owner.promotions.decidableCount({ projectSlug: t.project.slug })).toBe(1);
    expect(await callerFor(t.users.MEMBER).promotions.decidableCount({ projectSlug: t.project.slug })).toBe(0);
  });

  it("pages what I can decide, newest first; the dashboard counts every pending request", async () => {
    const t = await team();
    const name = await model(t, 3);
    const member = await access(t, "MEMBER");
    const made = [];
    for (const version of [1, 2, 3]) made.push(await requestPromotion(member, { name, version, target: { kind: "alias", alias: "champion" } }));
    await requestPromotion(await access(t, "OWNER"), { name, version: 1, target: { kind: "stage", stage: "Production" } });
    const owner = callerFor(t.users.OWNER);
    const first = await owner.promotions.list({ projectSlug: t.project.slug, view: "decidable", limit: 2 });
    expect(first.requests.map((r) => r.id)).toEqual([made[2]!.id, made[1]!.id]);
    const second = await owner.promotions.list({ projectSlug: t.project.slug, view: "decidable", limit: 2, cursor: first.nextCursor });
    expect(second.requests.map((r) => r.id)).toEqual([made[0]!.id]);
    expect(second.nextCursor).toBeNull();
    expect(await callerFor(t.users.VIEWER).promotions.pendingCount({ projectSlug: t.project.slug })).toBe(4);
  });
});

describe("the REST API for requests", () => {
  const post = (slug: string, token: string, body: unknown) =>
    createRoute(new Request(`http://t/api/v1/projects/${slug}/promotion-requests`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) }), {
      params: Promise.resolve({ slug }),
    });

  it("a promote token requests and reads; a read token is refused; another project's token finds nothing", async () => {
    const t = await team();
    const name = await model(t);
    const created = await post(t.project.slug, t.tokens.promote, { name, version: 1, target: "champion", comment: "nightly eval passed" });
    expect(created.status).toBe(201);
    const { request } = (await created.json()) as { request: { id: string; url: string; state: string; target: unknown; requester: string } };
    expect(request).toMatchObject({ state: "PENDING", target: { alias: "champion" }, url: `http://t/projects/${t.project.slug}/requests/${request.id}` });
    expect((await post(t.project.slug, t.tokens.read, { name, version: 2, target: "champion" })).status).toBe(403);
    const bad = await post(t.project.slug, t.tokens.promote, { name, version: 0, target: "stage:Live" });
    expect(bad.status).toBe(400);
    expect(await requestsFor(t, name)).toHaveLength(1);

    const read = await getRequestRoute(new Request(`http://t/api/v1/projects/${t.project.slug}/promotion-requests/${request.id}`, { headers: { authorization: `Bearer ${t.tokens.read}` } }), {
      params: Promise.resolve({ slug: t.project.slug, id: request.id }),
    });
    expect(read.status).toBe(200);
    const list = await listRoute(new Request(`http://t/api/v1/projects/${t.project.slug}/promotion-requests?view=mine`, { headers: { authorization: `Bearer ${t.tokens.promote}` } }), {
      params: Promise.resolve({ slug: t.project.slug }),
    });
    expect(((await list.json()) as { requests: { id: string }[] }).requests.map((r) => r.id)).toEqual([request.id]);

    const other = await team();
    expect((await post(t.project.slug, other.tokens.promote, { name, version: 2, target: "champion" })).status).toBe(404);
    const foreign = await getRequestRoute(new Request(`http://t/api/v1/projects/${other.project.slug}/promotion-requests/${request.id}`, { headers: { authorization: `Bearer ${other.tokens.read}` } }), {
      params: Promise.resolve({ slug: other.project.slug, id: request.id }),
    });
    expect(foreign.status).toBe(404);
  });
});
