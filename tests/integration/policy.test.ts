import { describe, expect, it } from "vitest";
import { GET as getPolicyRoute, PUT as putPolicyRoute } from "@/app/api/v1/projects/[slug]/policy/route";
import { db } from "@/server/db/client";
import { servePolicy } from "@/server/http/policy";
import { resolveProjectAccess, type Actor } from "@/server/services/access";
import { authenticateToken } from "@/server/services/api-tokens";
import { DEFAULT_POLICY, gateFor, getPolicy, policyToYaml, updatePolicy } from "@/server/services/policy";
import { addTestMember, callerFor, createProjectWithToken, systemActor, trpcErrorOf, uniqueSuffix } from "../factories";

/** The approval policy: defaults, revisions with their audit, stale edits, who may change it, and the REST edge. */

const STAGING_POLICY = `targets:
  - stage: Production
    approvers: [owner, maintainer]
    approvals: 2
    checks:
      - metrics.accuracy >= current
  - stage: Staging
  - alias: "release-*"
`;

async function projectState(projectId: string) {
  const [revisions, audits] = await Promise.all([
    db().policyRevision.findMany({ where: { projectId }, orderBy: { revision: "asc" }, select: { revision: true, yaml: true, author: true } }),
    db().auditEvent.findMany({ where: { projectId, action: "policy.update" }, select: { before: true, after: true, actorLabel: true, actorRole: true } }),
  ]);
  return { revisions, audits };
}

function request(slug: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Request(`http://tally.test/api/v1/projects/${slug}/policy`, { method: init.method ?? "GET", headers: init.headers, body: init.body });
}

const params = (slug: string) => ({ params: Promise.resolve({ slug }) });

describe("the policy service", () => {
  it("answers the defaults when no one has changed the policy", async () => {
    const { project, member } = await createProjectWithToken("VIEWER");
    const stored = await callerFor(member).policy.get({ projectSlug: project.slug });
    expect(stored).toMatchObject({ revision: 0, isDefault: true, updatedBy: null, updatedAt: null, policy: DEFAULT_POLICY });
    expect(stored.yaml).toBe(policyToYaml(DEFAULT_POLICY));
    expect(await callerFor(member).policy.revisions({ projectSlug: project.slug })).toEqual([]);
    expect(gateFor(stored.policy, { kind: "stage", stage: "Production" })).not.toBeNull();
    expect(gateFor(stored.policy, { kind: "alias", alias: "champion" })).not.toBeNull();
  });

  it("saves each change as a revision with its audit event, and keeps the canonical YAML", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    const policy = callerFor(owner).policy;
    const first = await policy.update({ projectSlug: project.slug, basedOnRevision: 0, source: { yaml: STAGING_POLICY } });
    expect(first).toMatchObject({ revision: 1, isDefault: false, updatedBy: owner.email });
    expect(gateFor(first.policy, { kind: "stage", stage: "Staging" })).not.toBeNull();
    expect(gateFor(first.policy, { kind: "alias", alias: "champion" })).toBeNull();
    expect(first.yaml).toBe(policyToYaml(first.policy));

    // The form's document goes through the same checks.
    const document = { ...first.document, request_expiry_days: 3 };
    const second = await policy.update({ projectSlug: project.slug, basedOnRevision: 1, source: { document } });
    expect(second).toMatchObject({ revision: 2, policy: { requestExpiryDays: 3 } });

    const state = await projectState(project.id);
    expect(state.revisions.map((row) => [row.revision, row.author])).toEqual([
      [1, owner.email],
      [2, owner.email],
    ]);
    expect(state.audits).toHaveLength(2);
    expect(state.audits[0]).toMatchObject({
      actorLabel: owner.email,
      actorRole: "OWNER",
      before: { revision: 0, yaml: policyToYaml(DEFAULT_POLICY) },
      after: { revision: 1, yaml: first.yaml },
    });
    const listed = await policy.revisions({ projectSlug: project.slug });
    expect(listed.map((row) => [row.revision, row.author])).toEqual([
      [2, owner.email],
      [1, owner.email],
    ]);
    expect(listed[0]!.createdAt).toBeInstanceOf(Date);
  });

  it("saves nothing when the policy is unchanged", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    const stored = await callerFor(owner).policy.update({ projectSlug: project.slug, basedOnRevision: 0, source: { yaml: policyToYaml(DEFAULT_POLICY) } });
    expect(stored).toMatchObject({ revision: 0, isDefault: true });
    expect(await projectState(project.id)).toEqual({ revisions: [], audits: [] });
  });

  it("writes the revision and its audit event in one transaction: when the audit fails, no revision exists", async () => {
    const { project } = await createProjectWithToken("OWNER");
    const access = await resolveProjectAccess(systemActor, project.slug);
    const trigger = `refuse_policy_audit_${uniqueSuffix()}`;
    await db().$executeRawUnsafe(
      `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
        `IF NEW."projectId" = '${project.id}' THEN RAISE EXCEPTION 'audit refused by the test'; END IF; RETURN NEW; END $$`,
    );
    await db().$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION ${trigger}()`);
    try {
      await expect(updatePolicy(access, { yaml: STAGING_POLICY }, { basedOnRevision: 0 })).rejects.toThrow(/audit refused by the test/);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER ${trigger} ON "AuditEvent"`);
      await db().$executeRawUnsafe(`DROP FUNCTION ${trigger}()`);
    }
    expect(await projectState(project.id)).toEqual({ revisions: [], audits: [] });
    expect((await getPolicy(access)).isDefault).toBe(true);
  });

  it("refuses a save that started from an older revision, naming who saved in between", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    const coOwner = await addTestMember(project.id, "OWNER");
    await callerFor(coOwner).policy.update({ projectSlug: project.slug, basedOnRevision: 0, source: { yaml: STAGING_POLICY } });
    const before = await projectState(project.id);
    const refused = await trpcErrorOf(callerFor(owner).policy.update({ projectSlug: project.slug, basedOnRevision: 0, source: { yaml: "targets: []" } }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain(coOwner.email);
    expect(refused.message).toMatch(/revision 1; your edit started from 0/);
    expect(await projectState(project.id)).toEqual(before);
  });

  it("gives exactly one of two concurrent saves from the same revision", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    const save = (yaml: string) => callerFor(owner).policy.update({ projectSlug: project.slug, basedOnRevision: 0, source: { yaml } });
    const results = await Promise.allSettled([save("targets: []"), save(STAGING_POLICY)]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((await projectState(project.id)).revisions.map((row) => row.revision)).toEqual([1]);
  });

  it("refuses a policy that does not parse with its lines, and keeps the old one", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    await callerFor(owner).policy.update({ projectSlug: project.slug, basedOnRevision: 0, source: { yaml: STAGING_POLICY } });
    const before = await projectState(project.id);
    const refused = await trpcErrorOf(
      callerFor(owner).policy.update({ projectSlug: project.slug, basedOnRevision: 1, source: { yaml: "targets:\n  - stage: Prod\n" } }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toMatch(/line 2, column 12: Unknown stage 'Prod'/);
    expect(await projectState(project.id)).toEqual(before);
  });

  it.each(["MAINTAINER", "MEMBER", "VIEWER"] as const)("refuses a %s's change and changes nothing", async (role) => {
    const { project, member } = await createProjectWithToken(role);
    const refused = await trpcErrorOf(callerFor(member).policy.update({ projectSlug: project.slug, basedOnRevision: 0, source: { yaml: "targets: []" } }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toContain("policy:manage");
    expect((await trpcErrorOf(callerFor(member).policy.preview({ projectSlug: project.slug, source: { yaml: "targets: []" } }))).code).toBe("FORBIDDEN");
    expect(await projectState(project.id)).toEqual({ revisions: [], audits: [] });
  });

  it("lets a token read the policy but never change it, whatever its scopes", async () => {
    const { project, plaintext } = await createProjectWithToken("OWNER", ["read", "write", "promote"]);
    const token = await authenticateToken(plaintext);
    const access = await resolveProjectAccess(token, project.slug);
    expect((await getPolicy(access)).isDefault).toBe(true);
    await expect(updatePolicy(access, { yaml: "targets: []" })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("policy:manage") });
    expect(await projectState(project.id)).toEqual({ revisions: [], audits: [] });
  });

  it("previews a policy without saving it: the canonical YAML, or the problems at their lines", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    const preview = callerFor(owner).policy.preview;
    const good = await preview({ projectSlug: project.slug, source: { yaml: STAGING_POLICY } });
    expect(good.ok).toBe(true);
    if (good.ok) expect(good.yaml).toContain("  - alias: release-*\n");
    const bad = await preview({ projectSlug: project.slug, source: { yaml: "targets:\n  - stage: Production\n    approvals: 0\n" } });
    expect(bad).toEqual({ ok: false, problems: [{ line: 3, column: 16, path: "targets[0].approvals", message: "Must be from 1 to 10, not 0" }] });
    const badDocument = await preview({ projectSlug: project.slug, source: { document: { targets: [{ alias: "champion", approvers: ["owner", "member"] }] } } });
    expect(badDocument.ok).toBe(false);
    if (!badDocument.ok) expect(badDocument.problems.map((problem) => problem.path)).toEqual(["targets[0].approvers[1]"]);
    expect(await projectState(project.id)).toEqual({ revisions: [], audits: [] });
  });
});

describe("GET/PUT /api/v1/projects/<slug>/policy", () => {
  it("answers YAML by default and JSON when asked, with the revision as ETag", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read"]);
    const auth = { authorization: `Bearer ${plaintext}` };
    const yaml = await getPolicyRoute(request(project.slug, { headers: auth }), params(project.slug));
    expect(yaml.status).toBe(200);
    expect(yaml.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    expect(yaml.headers.get("etag")).toBe('"0"');
    expect(await yaml.text()).toBe(policyToYaml(DEFAULT_POLICY));
    const json = await getPolicyRoute(request(project.slug, { headers: { ...auth, accept: "application/json" } }), params(project.slug));
    expect(await json.json()).toEqual({
      version: 1,
      request_expiry_days: 14,
      targets: [
        { stage: "Production", approvers: ["owner"], approvals: 1, allow_self_approval: false },
        { alias: "champion", approvers: ["owner"], approvals: 1, allow_self_approval: false },
        { alias: "production", approvers: ["owner"], approvals: 1, allow_self_approval: false },
      ],
    });
  });

  it("lets an owner's session PUT YAML and JSON, and round-trips what GET gives", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    const put = await servePolicy(request(project.slug, { method: "PUT", headers: { "content-type": "application/yaml" }, body: STAGING_POLICY }), project.slug, owner);
    expect(put.status).toBe(200);
    expect(put.headers.get("etag")).toBe('"1"');
    const exported = await (await servePolicy(request(project.slug, { headers: { accept: "application/json" } }), project.slug, owner)).json();
    expect(exported.targets.map((target: { stage?: string; alias?: string }) => target.stage ?? target.alias)).toEqual(["Production", "Staging", "release-*"]);

    const changed = { ...exported, request_expiry_days: 30 };
    const putJson = await servePolicy(
      request(project.slug, { method: "PUT", headers: { "content-type": "application/json", accept: "application/json", "if-match": '"1"' }, body: JSON.stringify(changed) }),
      project.slug,
      owner,
    );
    expect(putJson.status).toBe(200);
    expect(await putJson.json()).toEqual(changed);
    expect(putJson.headers.get("etag")).toBe('"2"');

    // Exported YAML put back is the same policy: no new revision.
    const yaml = await (await servePolicy(request(project.slug), project.slug, owner)).text();
    const again = await servePolicy(request(project.slug, { method: "PUT", body: yaml }), project.slug, owner);
    expect(again.headers.get("etag")).toBe('"2"');
    expect((await projectState(project.id)).revisions).toHaveLength(2);
  });

  it("refuses a PUT with a stale If-Match (409) and a malformed one (400)", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    await servePolicy(request(project.slug, { method: "PUT", body: STAGING_POLICY }), project.slug, owner);
    const stale = await servePolicy(request(project.slug, { method: "PUT", headers: { "if-match": '"0"' }, body: "targets: []" }), project.slug, owner);
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.message).toMatch(/revision 1; your edit started from 0/);
    const malformed = await servePolicy(request(project.slug, { method: "PUT", headers: { "if-match": "latest" }, body: "targets: []" }), project.slug, owner);
    expect(malformed.status).toBe(400);
    expect((await projectState(project.id)).revisions).toHaveLength(1);
  });

  it("answers bad YAML with 400, the line of each problem, and the old policy unchanged", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    await servePolicy(request(project.slug, { method: "PUT", body: STAGING_POLICY }), project.slug, owner);
    const before = await projectState(project.id);
    const response = await servePolicy(
      request(project.slug, { method: "PUT", body: "targets:\n  - stage: Production\n    approvers: [owner, admin]\n  - alias: champion\n    freeze:\n      - from: yesterday\n        to: 2026-01-01T00:00:00Z\n" }),
      project.slug,
      owner,
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("BAD_INPUT");
    expect(body.error.message).toMatch(/^The policy was refused: line 3, column 24: Unknown approver role 'admin'/);
    expect(body.error.problems.map((problem: { line: number; path: string }) => [problem.line, problem.path])).toEqual([
      [3, "targets[0].approvers[1]"],
      [6, "targets[1].freeze[0].from"],
    ]);
    expect(await projectState(project.id)).toEqual(before);
    const broken = await servePolicy(request(project.slug, { method: "PUT", body: "{ targets: [" }), project.slug, owner);
    expect(broken.status).toBe(400);
    expect(await projectState(project.id)).toEqual(before);
  });

  it("refuses every API token's PUT with a clear 403, and a maintainer's session too", async () => {
    const { project, plaintext, member: maintainer } = await createProjectWithToken("MAINTAINER", ["read", "write", "promote"]);
    const viaToken = await putPolicyRoute(
      request(project.slug, { method: "PUT", headers: { authorization: `Bearer ${plaintext}` }, body: "targets: []" }),
      params(project.slug),
    );
    expect(viaToken.status).toBe(403);
    expect((await viaToken.json()).error.message).toMatch(/^API tokens cannot change the approval policy/);
    const viaMaintainer = await servePolicy(request(project.slug, { method: "PUT", body: "targets: []" }), project.slug, maintainer);
    expect(viaMaintainer.status).toBe(403);
    expect((await viaMaintainer.json()).error.message).toMatch(/Only owners can change the approval policy.*maintainer/);
    expect(await projectState(project.id)).toEqual({ revisions: [], audits: [] });
  });

  it("refuses a session PUT sent from another site", async () => {
    const { project, owner } = await createProjectWithToken("OWNER");
    const response = await servePolicy(
      request(project.slug, { method: "PUT", headers: { origin: "https://evil.example", host: "tally.test" }, body: "targets: []" }),
      project.slug,
      owner,
    );
    expect(response.status).toBe(403);
    expect(await projectState(project.id)).toEqual({ revisions: [], audits: [] });
  });

  it("gives another project's token 404 for GET and PUT, and a bad token 401", async () => {
    const [{ project }, other] = await Promise.all([createProjectWithToken("OWNER"), createProjectWithToken("OWNER", ["read", "write", "promote"])]);
    for (const method of ["GET", "PUT"]) {
      const handler = method === "GET" ? getPolicyRoute : putPolicyRoute;
      const response = await handler(
        request(project.slug, { method, headers: { authorization: `Bearer ${other.plaintext}` }, ...(method === "PUT" ? { body: "targets: []" } : {}) }),
        params(project.slug),
      );
      expect(response.status).toBe(404);
      expect((await response.json()).error.message).toContain(project.slug);
    }
    const outsider: Actor = other.owner;
    expect((await servePolicy(request(project.slug), project.slug, outsider)).status).toBe(404);
    const bad = await getPolicyRoute(request(project.slug, { headers: { authorization: "Bearer tly_nope_nope" } }), params(project.slug));
    expect(bad.status).toBe(401);
    expect(await projectState(project.id)).toEqual({ revisions: [], audits: [] });
  });
});
