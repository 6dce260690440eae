import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import type { Role, TokenScope } from "@/lib/rbac";
import { db } from "@/server/db/client";
import type { SystemActor, UserActor } from "@/server/services/access";
import { resolveProjectAccess } from "@/server/services/access";
import { createToken } from "@/server/services/api-tokens";
import { handleMlflowRequest } from "@/server/http/mlflow/handle-request";
import { createCaller } from "@/server/trpc/root";

/**
 * Test data builders. Every test makes its own users and projects with unique names, so tests never
 * depend on each other or on order, and nothing needs truncating.
 */
export const uniqueSuffix = () => randomBytes(5).toString("hex");

export const systemActor: SystemActor = { type: "SYSTEM", label: "test-suite" };

export async function createTestUser(options: { isAdmin?: boolean; email?: string } = {}): Promise<UserActor> {
  const user = await db().user.create({
    data: { email: options.email ?? `user-${uniqueSuffix()}@example.test`, isAdmin: options.isAdmin ?? false },
  });
  return { type: "USER", userId: user.id, email: user.email, isAdmin: user.isAdmin };
}

export async function createTestProject(owner?: UserActor) {
  const projectOwner = owner ?? (await createTestUser());
  const slug = `p-${uniqueSuffix()}`;
  const project = await db().project.create({
    data: { slug, name: `Project ${slug}`, memberships: { create: { userId: projectOwner.userId, role: "OWNER" } } },
  });
  return { project, owner: projectOwner };
}

export async function addTestMember(projectId: string, role: Role): Promise<UserActor> {
  const user = await createTestUser();
  await db().membership.create({ data: { projectId, userId: user.userId, role } });
  return user;
}

/** A project plus a member of the given role and a token with the given scopes. */
export async function createProjectWithToken(role: Role = "MEMBER", scopes: TokenScope[] = ["read", "write"]) {
  const { project, owner } = await createTestProject();
  const member = role === "OWNER" ? owner : await addTestMember(project.id, role);
  const { plaintext, token } = await createToken(await resolveProjectAccess(systemActor, project.slug), {
    name: `token-${uniqueSuffix()}`,
    scopes,
  });
  return { project, owner, member, token, plaintext };
}

/** A tRPC caller acting as `actor` (null: signed out), exactly as the web app's requests are served. */
export function callerFor(actor: UserActor | null) {
  return createCaller({ actor });
}

/** The tRPC error code `promise` rejects with; fails the test if it resolves or throws something else. */
export async function trpcErrorOf(promise: Promise<unknown>): Promise<{ code: TRPCError["code"]; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected the call to be refused, but it succeeded");
}

/** Calls the MLflow REST API of a project with a token, as the route handlers would, and reads the JSON answer. */
/**
 * One MLflow REST request as the client sends it (GET fields in the query, other methods a JSON
 * body), on `/projects/<slug>/…` or, with no slug, on the bare URL where the token names the project.
 */
export async function mlflowRequest(
  target: { projectSlug?: string; token: string },
  method: "GET" | "POST" | "PATCH" | "DELETE",
  endpoint: string,
  fields: Record<string, unknown> = {},
) {
  const base = target.projectSlug ? `http://tally.test/projects/${target.projectSlug}` : "http://tally.test";
  const query = method === "GET" ? `?${new URLSearchParams(Object.entries(fields).map(([key, value]) => [key, String(value)]))}` : "";
  const response = await handleMlflowRequest(
    new Request(`${base}/api/2.0/mlflow/${endpoint}${query}`, {
      method,
      headers: { authorization: `Bearer ${target.token}`, "content-type": "application/json" },
      ...(method === "GET" ? {} : { body: JSON.stringify(fields) }),
    }),
    { projectSlug: target.projectSlug, segments: endpoint.split("/") },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export function mlflowCaller(projectSlug: string, token: string) {
  return async (method: "GET" | "POST", endpoint: string, body?: Record<string, unknown>, query = "") => {
    const response = await handleMlflowRequest(
      new Request(`http://tally.test/projects/${projectSlug}/api/2.0/mlflow/${endpoint}${query}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }),
      { projectSlug, segments: endpoint.split("/") },
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}
