import { describe, expect, it } from "vitest";
import { operationOf, v1Operations, v1RouteModules } from "@/server/http/v1/routes";
import type { OperationSpec } from "@/lib/openapi/operation";
import { db } from "@/server/db/client";
import type { OperationHandler } from "@/server/http/api-operation";
import { createProjectWithToken } from "../factories";

/**
 * Tenant isolation over Tally's REST API: every operation under /api/v1/projects/{slug}/, enumerated
 * from the operations list, called with another project's most capable token. A new project-scoped
 * route fails here until it has an attack below.
 */

type Attack = { params?: Record<string, string>; query?: string; body?: string };

const ATTACKS: Record<string, Attack> = {
  getLineageUpstream: { query: "node=run:r1" },
  getLineageDownstream: { query: "node=run:r1" },
  getLineageImpact: { query: "commit=0123abcd" },
  getTargetHolders: { params: { name: "fraud" }, query: "target=Production" },
  getPolicy: {},
  replacePolicy: { body: "targets: []\n" },
  getPromotionRequest: { params: { id: "r1" } },
  listPromotionRequests: {},
  requestPromotion: { body: JSON.stringify({ name: "fraud", version: 1, target: "Production" }) },
  recordProjectOpenLineageEvent: { body: JSON.stringify({ eventType: "COMPLETE", eventTime: "2026-12-01T12:00:00Z" }) },
  importDvcLock: { body: JSON.stringify({ lock: "schema: '2.0'\nstages: {}\n" }) },
};

const projectScoped = v1Operations.filter((operation) => operation.path.startsWith("/projects/{slug}/"));

function handlerOf(operation: OperationSpec): OperationHandler {
  for (const routeModule of Object.values(v1RouteModules)) {
    for (const exported of Object.values(routeModule)) if (operationOf(exported) === operation) return exported as OperationHandler;
  }
  throw new Error(`no handler serves ${operation.operationId}`);
}

describe("tenant isolation over /api/v1/projects/{slug}/", () => {
  it("has an attack for every project-scoped operation", () => {
    expect(projectScoped.length).toBeGreaterThan(5);
    expect(projectScoped.map((operation) => operation.operationId).sort()).toEqual(Object.keys(ATTACKS).sort());
  });

  it("answers another project's token 404 naming the project, and changes nothing", async () => {
    const [victim, attacker] = await Promise.all([createProjectWithToken("OWNER"), createProjectWithToken("OWNER", ["read", "write", "promote"])]);
    const slug = victim.project.slug;
    for (const operation of projectScoped) {
      const attack = ATTACKS[operation.operationId]!;
      const params = { slug, ...attack.params };
      const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name as keyof typeof params]!));
      const response = await handlerOf(operation)(
        new Request(`http://tally.test/api/v1${path}${attack.query ? `?${attack.query}` : ""}`, {
          method: operation.method,
          headers: { authorization: `Bearer ${attacker.plaintext}`, "content-type": "application/json" },
          ...(attack.body ? { body: attack.body } : {}),
        }),
        { params: Promise.resolve(params) },
      );
      expect(response.status, operation.operationId).toBe(404);
      expect((await response.json()).error.message, operation.operationId).toContain(slug);
    }
    const projectId = victim.project.id;
    expect(await db().policyRevision.count({ where: { projectId } })).toBe(0);
    expect(await db().promotionRequest.count({ where: { projectId } })).toBe(0);
    expect(await db().auditEvent.count({ where: { projectId, actorType: "TOKEN", actorId: attacker.token.id } })).toBe(0);
  });
});
