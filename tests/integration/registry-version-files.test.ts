import { describe, expect, it } from "vitest";
import { resolveProjectAccess } from "@/server/services/access";
import { putArtifact, storagePathOf } from "@/server/services/artifacts";
import { createLoggedModel } from "@/server/services/logged-models";
import { createModelVersion, createRegisteredModel, readVersionFile } from "@/server/services/registry";
import { createRun, logBatch, logInputs } from "@/server/services/runs";
import { addTestMember, callerFor, createTestProject, systemActor, trpcErrorOf, uniqueSuffix } from "../factories";
import { SKLEARN_INPUT_EXAMPLE, SKLEARN_MLMODEL } from "../support/mlmodel";

/** A version's files, its MLmodel signature and the compare of two versions, as the version page asks for them. */

const put = (access: Awaited<ReturnType<typeof resolveProjectAccess>>, key: string, text: string) =>
  putArtifact(access, key, Buffer.from(text), { size: Buffer.byteLength(text) });

async function projectWithVersions() {
  const { project } = await createTestProject();
  const access = await resolveProjectAccess(systemActor, project.slug);
  const [first, second] = await Promise.all([
    createRun(access, { experimentId: "0", tags: [] }),
    createRun(access, { experimentId: "0", tags: [] }),
  ]);
  await Promise.all([
    logBatch(access, first.id, {
      params: [{ key: "C", value: "1.0" }, { key: "max_iter", value: "100" }],
      metrics: [{ key: "accuracy", value: 0.91, timestamp: 1, step: 0 }],
      tags: [],
    }),
    logBatch(access, second.id, {
      params: [{ key: "C", value: "0.5" }, { key: "max_iter", value: "100" }, { key: "solver", value: "lbfgs" }],
      metrics: [{ key: "accuracy", value: 0.95, timestamp: 1, step: 0 }],
      tags: [],
    }),
    logInputs(access, first.id, [
      { tags: [{ key: "mlflow.data.context", value: "training" }], dataset: { name: "iris", digest: "abc123", sourceType: "local", source: "{}" } },
    ]),
  ]);
  const logged = await createLoggedModel(access, { experimentId: "0", name: "clf", sourceRunId: first.id, params: [], tags: [] });
  const modelRoot = storagePathOf(logged.artifactUri)!;
  const runRoot = storagePathOf(second.artifactUri)!;
  await Promise.all([
    put(access, `${modelRoot}/MLmodel`, SKLEARN_MLMODEL),
    put(access, `${modelRoot}/input_example.json`, SKLEARN_INPUT_EXAMPLE),
    put(access, `${modelRoot}/data/model.pkl`, "pickle"),
    put(access, `${runRoot}/model/MLmodel`, "flavors:\n  sklearn: {pickled_model: model.pkl}\n"),
    put(access, `${runRoot}/metrics.csv`, "a,b\n1,2\n"),
  ]);
  const name = `iris-${uniqueSuffix()}`;
  await createRegisteredModel(access, { name });
  await createModelVersion(access, name, { source: `models:/${logged.id}`, runId: first.id });
  await createModelVersion(access, name, { source: `runs:/${second.id}/model` });
  await createModelVersion(access, name, { source: "s3://bucket/elsewhere" });
  const [member, viewer] = await Promise.all([addTestMember(project.id, "MEMBER"), addTestMember(project.id, "VIEWER")]);
  return { slug: project.slug, access, name, member, viewer, first: first.id, second: second.id, loggedModelId: logged.id };
}

describe("a registered version's files", () => {
  it("lists a logged model's files and a run's model folder, and says where they are", async () => {
    const p = await projectWithVersions();
    for (const actor of [p.member, p.viewer]) {
      const caller = callerFor(actor);
      expect(await caller.registry.versions.filesRoot({ projectSlug: p.slug, name: p.name, version: 1 })).toMatchObject({
        kind: "logged-model",
        loggedModelId: p.loggedModelId,
        prefix: "",
      });
      const top = await caller.registry.versions.files({ projectSlug: p.slug, name: p.name, version: 1 });
      expect(top.map((entry) => [entry.path, entry.isDir])).toEqual([
        ["MLmodel", false],
        ["data", true],
        ["input_example.json", false],
      ]);
      expect(await caller.registry.versions.files({ projectSlug: p.slug, name: p.name, version: 1, path: "data" })).toEqual([
        { path: "model.pkl", isDir: false, size: 6 },
      ]);

      expect(await caller.registry.versions.filesRoot({ projectSlug: p.slug, name: p.name, version: 2 })).toMatchObject({
        kind: "run",
        runId: p.second,
        prefix: "model",
      });
      // Only the model's folder of the run, not the run's other artifacts.
      expect((await caller.registry.versions.files({ projectSlug: p.slug, name: p.name, version: 2 })).map((entry) => entry.path)).toEqual(["MLmodel"]);
    }
  });

  it("reads a file under the version's storage location and never above it", async () => {
    const p = await projectWithVersions();
    const file = await readVersionFile(p.access, p.name, 1, "input_example.json");
    file.body.destroy();
    expect(file.size).toBe(Buffer.byteLength(SKLEARN_INPUT_EXAMPLE));
    const escape = await readVersionFile(p.access, p.name, 2, "../metrics.csv").catch((error: unknown) => error);
    expect(escape).toMatchObject({ code: "BAD_INPUT" });
    const refused = await trpcErrorOf(callerFor(p.member).registry.versions.files({ projectSlug: p.slug, name: p.name, version: 2, path: "../" }));
    expect(refused.code).toBe("BAD_REQUEST");
  });

  it("refuses a version stored outside Tally", async () => {
    const p = await projectWithVersions();
    const refused = await trpcErrorOf(callerFor(p.member).registry.versions.files({ projectSlug: p.slug, name: p.name, version: 3 }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("outside Tally");
  });

  it("shows the MLmodel's flavors, signature and input example", async () => {
    const p = await projectWithVersions();
    for (const actor of [p.member, p.viewer]) {
      const signature = await callerFor(actor).registry.versions.signature({ projectSlug: p.slug, name: p.name, version: 1 });
      expect(signature.problem).toBeNull();
      expect(signature.mlmodel!.flavors.map((flavor) => flavor.name)).toEqual(["python_function", "sklearn"]);
      expect(signature.mlmodel!.signature!.inputs.map((field) => field.name)).toContain("petal width (cm)");
      expect(signature.mlmodel!.signature!.outputs).toEqual([{ name: null, type: "tensor<int64>", required: true, shape: [-1] }]);
      expect(signature.inputExample).toEqual({ path: "input_example.json", text: SKLEARN_INPUT_EXAMPLE, truncated: false });
    }
    const unsigned = await callerFor(p.viewer).registry.versions.signature({ projectSlug: p.slug, name: p.name, version: 2 });
    expect(unsigned).toMatchObject({ problem: null, inputExample: null, mlmodel: { signature: null } });
  });

  it("compares two versions' runs: params with differences, latest metrics and datasets", async () => {
    const p = await projectWithVersions();
    for (const actor of [p.member, p.viewer]) {
      const compared = await callerFor(actor).registry.versions.compare({ projectSlug: p.slug, name: p.name, version: 1, other: 2 });
      expect(compared.versions.map((v) => [v.version, v.runId])).toEqual([
        [1, p.first],
        [2, p.second],
      ]);
      expect(compared.params).toEqual([
        { key: "C", values: ["1.0", "0.5"], differs: true },
        { key: "max_iter", values: ["100", "100"], differs: false },
        { key: "solver", values: [null, "lbfgs"], differs: true },
      ]);
      expect(compared.metrics).toEqual([{ key: "accuracy", values: [0.91, 0.95], differs: true }]);
      expect(compared.datasets).toEqual([[{ name: "iris", digest: "abc123", context: "training", sourceType: "local" }], []]);
    }
    const withoutRun = await callerFor(p.viewer).registry.versions.compare({ projectSlug: p.slug, name: p.name, version: 2, other: 3 });
    expect(withoutRun.versions[1]).toMatchObject({ version: 3, runId: null, runName: null });
    expect(withoutRun.params.every((row) => row.values[1] === null)).toBe(true);
    const missing = await trpcErrorOf(callerFor(p.viewer).registry.versions.compare({ projectSlug: p.slug, name: p.name, version: 1, other: 9 }));
    expect(missing.code).toBe("NOT_FOUND");
  });

  it("answers NOT_FOUND for another project's version, to members of one's own", async () => {
    const p = await projectWithVersions();
    const { project: other, owner } = await createTestProject();
    const viewer = await addTestMember(other.id, "VIEWER");
    for (const actor of [owner, viewer]) {
      const caller = callerFor(actor);
      const input = { projectSlug: other.slug, name: p.name, version: 1 };
      for (const attempt of [
        caller.registry.versions.filesRoot(input),
        caller.registry.versions.files(input),
        caller.registry.versions.signature(input),
        caller.registry.versions.compare({ ...input, other: 2 }),
      ]) {
        expect((await trpcErrorOf(attempt)).code).toBe("NOT_FOUND");
      }
      // And naming the other project outright is refused too.
      expect((await trpcErrorOf(caller.registry.versions.files({ ...input, projectSlug: p.slug }))).code).toBe("NOT_FOUND");
    }
  });
});
