import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { config } from "@/server/config";
import { resolveProjectAccess } from "@/server/services/access";
import { putArtifact, storagePathOf } from "@/server/services/artifacts";
import { createLoggedModel } from "@/server/services/logged-models";
import { createModelVersion, createRegisteredModel } from "@/server/services/registry";
import { createRun } from "@/server/services/runs";
import { createUser } from "@/server/services/users";
import { createTestProject, systemActor, uniqueSuffix } from "../factories";
import { signInCookie, startTally, stopTallies } from "../support/tally-server";

/**
 * The web app's route for a registered version's files (`/projects/<slug>/models/<name>/versions/<v>/artifact`),
 * over HTTP with a real session cookie: Tally's server on the production build, sharing this
 * process's database and artifact folder.
 */
const PASSWORD = "a-long-enough-password";
let base = "";

beforeAll(async () => {
  base = await startTally({ TALLY_HOME: path.resolve(config().TALLY_HOME) });
}, 90_000);

afterAll(stopTallies);

/** A person with a password, a member of `projectId` with `role`, and their session cookie. */
async function signedInMember(projectId: string, role: "MEMBER" | "VIEWER" = "MEMBER") {
  const email = `files-${uniqueSuffix()}@example.test`;
  const user = await createUser(systemActor, { email, password: PASSWORD });
  await db().membership.create({ data: { projectId, userId: user.id, role } });
  const cookie = await signInCookie(base, email, PASSWORD);
  if (!cookie) throw new Error("sign-in failed");
  return cookie;
}

/** A version made from a logged model (binary weights) and one from a run's model folder, next to a file of the run that is not the version's. */
async function projectWithVersions() {
  const { project } = await createTestProject();
  const access = await resolveProjectAccess(systemActor, project.slug);
  const run = await createRun(access, { experimentId: "0", tags: [] });
  const logged = await createLoggedModel(access, { experimentId: "0", name: "clf", sourceRunId: run.id, params: [], tags: [] });
  const weights = randomBytes(70_000);
  const put = (key: string, bytes: Buffer) => putArtifact(access, key, bytes, { size: bytes.length });
  const runRoot = storagePathOf(run.artifactUri)!;
  await Promise.all([
    put(`${storagePathOf(logged.artifactUri)!}/data/model.pkl`, weights),
    put(`${runRoot}/model/MLmodel`, Buffer.from("flavors: {}\n")),
    put(`${runRoot}/secret.txt`, Buffer.from("not part of any version")),
  ]);
  const name = `files ${uniqueSuffix()}`;
  await createRegisteredModel(access, { name });
  await createModelVersion(access, name, { source: `models:/${logged.id}`, runId: run.id });
  await createModelVersion(access, name, { source: `runs:/${run.id}/model` });
  const url = (version: number, filePath: string, slug = project.slug) =>
    `${base}/projects/${slug}/models/${encodeURIComponent(name)}/versions/${version}/artifact?${new URLSearchParams({ path: filePath, download: "1" })}`;
  return { project, weights, url };
}

describe("GET /projects/<slug>/models/<name>/versions/<v>/artifact", () => {
  it("gives a member's session the version's file, byte for byte", async () => {
    const p = await projectWithVersions();
    const cookie = await signedInMember(p.project.id);
    const response = await fetch(p.url(1, "data/model.pkl"), { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("attachment");
    expect(Buffer.from(await response.arrayBuffer()).equals(p.weights)).toBe(true);

    const viewer = await signedInMember(p.project.id, "VIEWER");
    const partial = await fetch(p.url(1, "data/model.pkl"), { headers: { cookie: viewer, range: "bytes=10-19" } });
    expect(partial.status).toBe(206);
    expect(Buffer.from(await partial.arrayBuffer()).equals(p.weights.subarray(10, 20))).toBe(true);
  });

  it("refuses a path that leaves the version's files, even into the same run", async () => {
    const p = await projectWithVersions();
    const cookie = await signedInMember(p.project.id);
    const inside = await fetch(p.url(2, "MLmodel"), { headers: { cookie } });
    expect(await inside.text()).toBe("flavors: {}\n");
    for (const escape of ["../secret.txt", "/secret.txt", "data/../../secret.txt"]) {
      const response = await fetch(p.url(2, escape), { headers: { cookie } });
      expect(response.status).toBe(400);
      expect(await response.text()).not.toContain("not part of any version");
    }
  });

  it("is not found for a member of another project, and refused without a session", async () => {
    const p = await projectWithVersions();
    const { project: other } = await createTestProject();
    const outsider = await signedInMember(other.id);
    const foreign = await fetch(p.url(1, "data/model.pkl"), { headers: { cookie: outsider } });
    expect(foreign.status).toBe(404);
    // The outsider's own project has no such model either.
    expect((await fetch(p.url(1, "data/model.pkl", other.slug), { headers: { cookie: outsider } })).status).toBe(404);

    const anonymous = await fetch(p.url(1, "data/model.pkl"));
    expect(anonymous.status).toBe(401);
    expect(Buffer.from(await anonymous.arrayBuffer()).includes(p.weights.subarray(0, 64))).toBe(false);
  });
});
