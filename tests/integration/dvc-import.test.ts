import { describe, expect, it } from "vitest";
import { POST as importRoute } from "@/app/api/v1/projects/[slug]/datasets/import/dvc/route";
import { db } from "@/server/db/client";
import { resolveProjectAccess } from "@/server/services/access";
import { importDvcLock } from "@/server/services/dvc-import";
import { lineageGraph } from "@/server/services/lineage";
import { createRun, logInputs } from "@/server/services/runs";
import { callerFor, createProjectWithToken, systemActor } from "../factories";
import { PIPELINE_LOCK, PIPELINE_YAML } from "../support/dvc-pipeline";

const RAW_MD5 = "c3c6bc2ae8ece4bd2510dca21225c041";
const FEATURES_MD5 = "708b34df1abae98f56177327749c98b1.dir";

/** A two-stage pipeline: prepare (raw.csv → clean.csv), featurize (clean.csv → features.csv). */
function twoStageLock(featuresMd5 = "0f343b0931126a20f133d67c2b018a3b", seed = 7) {
  return `schema: '2.0'
stages:
  prepare:
    cmd: python prepare.py
    deps:
    - path: raw.csv
      hash: md5
      md5: ${RAW_MD5}
      size: 12
    params:
      params.yaml:
        prepare.seed: ${seed}
    outs:
    - path: clean.csv
      hash: md5
      md5: 5e2b0a3f9c1d4e6f8a7b6c5d4e3f2a1b
      size: 10
  featurize:
    cmd: python featurize.py
    deps:
    - path: clean.csv
      hash: md5
      md5: 5e2b0a3f9c1d4e6f8a7b6c5d4e3f2a1b
      size: 10
    outs:
    - path: features.csv
      hash: md5
      md5: ${featuresMd5}
      size: 20
`;
}

interface ImportAnswer {
  namespace: string;
  stages: { name: string; node: string; created: boolean; inputs: string[]; outputs: string[] }[];
  dataset_versions: { name: string; digest: string; node: string; created: boolean }[];
  counts: { stages: number; job_runs_created: number; dataset_versions_created: number; dataset_versions_known: number; edges_created: number };
}

async function post(slug: string, token: string, body: unknown) {
  const response = await importRoute(
    new Request(`http://t/api/v1/projects/${slug}/datasets/import/dvc`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({ slug }) },
  );
  return { status: response.status, body: (await response.json()) as ImportAnswer & { error?: { code: string; message: string } } };
}

/** Everything the import may write in a project, to compare before and after. */
async function lineageOf(projectId: string) {
  const [versions, jobs, jobRuns, edges] = await Promise.all([
    db().datasetVersion.findMany({ where: { projectId }, orderBy: [{ name: "asc" }, { digest: "asc" }] }),
    db().lineageJob.findMany({ where: { projectId }, orderBy: { name: "asc" } }),
    db().lineageJobRun.findMany({ where: { projectId }, include: { job: { select: { name: true } } }, orderBy: { createdAt: "asc" } }),
    db().lineageEdge.findMany({ where: { projectId }, orderBy: [{ src: "asc" }, { dst: "asc" }] }),
  ]);
  return { versions, jobs, jobRuns, edges };
}

describe("DVC import", () => {
  it("turns deps and outs into dataset versions and stages into jobs linked input → job → output", async () => {
    const t = await createProjectWithToken();
    const { status, body } = await post(t.project.slug, t.plaintext, { lock: twoStageLock() });
    expect(status).toBe(200);
    expect(body.namespace).toBe("dvc");
    expect(body.counts).toEqual({ stages: 2, job_runs_created: 2, dataset_versions_created: 3, dataset_versions_known: 0, edges_created: 4 });
    expect(body.stages.map(({ name, inputs, outputs, created }) => ({ name, inputs, outputs, created }))).toEqual([
      { name: "prepare", inputs: ["raw.csv"], outputs: ["clean.csv"], created: true },
      { name: "featurize", inputs: ["clean.csv"], outputs: ["features.csv"], created: true },
    ]);
    expect(body.dataset_versions.find((version) => version.name === "raw.csv")).toEqual({
      name: "raw.csv",
      digest: RAW_MD5,
      node: `dataset:raw.csv@${RAW_MD5}`,
      created: true,
    });

    const stored = await lineageOf(t.project.id);
    const features = stored.versions.find((version) => version.name === "features.csv")!;
    expect(features).toMatchObject({ digest: "0f343b0931126a20f133d67c2b018a3b", sourceType: "dvc", origin: "dvc", createdBy: null });
    expect(JSON.parse(features.source)).toEqual({ uri: "features.csv", path: "features.csv" });
    expect(stored.jobs.map(({ namespace, name, origin, facets }) => ({ namespace, name, origin, facets }))).toEqual([
      { namespace: "dvc", name: "featurize", origin: "dvc", facets: { cmd: "python featurize.py", params: {} } },
      { namespace: "dvc", name: "prepare", origin: "dvc", facets: { cmd: "python prepare.py", params: { "params.yaml": { "prepare.seed": 7 } } } },
    ]);
    const prepare = stored.jobRuns.find((run) => run.job.name === "prepare")!;
    expect(prepare.state).toBe("DVC");
    expect(prepare.externalId).toMatch(/^dvc:[0-9a-f]{64}$/);
    expect(body.stages[0]!.node).toBe(`job:${prepare.id}`);

    const key = (name: string) => `dataset:${stored.versions.find((version) => version.name === name)!.id}`;
    const job = (name: string) => `job:${stored.jobRuns.find((run) => run.job.name === name)!.id}`;
    expect(stored.edges.map(({ src, dst, kind }) => ({ src, dst, kind })).sort((a, b) => a.kind.localeCompare(b.kind) || a.src.localeCompare(b.src))).toEqual(
      [
        { src: key("raw.csv"), dst: job("prepare"), kind: "input" },
        { src: key("clean.csv"), dst: job("featurize"), kind: "input" },
        { src: job("prepare"), dst: key("clean.csv"), kind: "output" },
        { src: job("featurize"), dst: key("features.csv"), kind: "output" },
      ].sort((a, b) => a.kind.localeCompare(b.kind) || a.src.localeCompare(b.src)),
    );
  });

  it("imports the same lock again without changing anything", async () => {
    const t = await createProjectWithToken();
    await post(t.project.slug, t.plaintext, { lock: PIPELINE_LOCK, dvcYaml: PIPELINE_YAML });
    const before = await lineageOf(t.project.id);
    // Re-indented and reordered, it is still the same lock.
    const again = await post(t.project.slug, t.plaintext, { lock: PIPELINE_LOCK.replace("schema: '2.0'\n", "") + "schema: '2.0'\n", dvcYaml: PIPELINE_YAML });
    expect(again.status).toBe(200);
    expect(again.body.counts).toEqual({ stages: 6, job_runs_created: 0, dataset_versions_created: 0, dataset_versions_known: 7, edges_created: 0 });
    expect(again.body.stages.every((stage) => !stage.created)).toBe(true);
    expect(await lineageOf(t.project.id)).toEqual(before);
  });

  it("imports the same lock concurrently once: each row is made by exactly one of the imports", async () => {
    const t = await createProjectWithToken();
    const answers = await Promise.all([1, 2, 3].map(() => post(t.project.slug, t.plaintext, { lock: PIPELINE_LOCK })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const total = (count: keyof ImportAnswer["counts"]) => answers.reduce((sum, answer) => sum + answer.body.counts[count], 0);
    expect([total("job_runs_created"), total("dataset_versions_created"), total("edges_created")]).toEqual([6, 7, 14]);
    const stored = await lineageOf(t.project.id);
    expect([stored.jobRuns.length, stored.versions.length, stored.edges.length]).toEqual([6, 7, 14]);
    expect(new Set(answers.map((answer) => answer.body.stages.map((stage) => stage.node).join()))).toHaveProperty("size", 1);
  });

  it("reads foreach and matrix stages, directory outs and dvc.yaml's descriptions", async () => {
    const t = await createProjectWithToken();
    const { body } = await post(t.project.slug, t.plaintext, { lock: PIPELINE_LOCK, dvcYaml: PIPELINE_YAML });
    expect(body.stages.map((stage) => stage.name)).toEqual(["prepare", "featurize", "train@a", "train@b", "evaluate@a-test", "evaluate@b-test"]);
    const stored = await lineageOf(t.project.id);
    expect(stored.versions.find((version) => version.name === "data/features")?.digest).toBe(FEATURES_MD5);
    const facets = Object.fromEntries(stored.jobs.map((job) => [job.name, job.facets as { desc?: string; cmd: string }]));
    expect(facets.prepare).toMatchObject({ desc: "Drop malformed rows", cmd: "cp data/raw.csv data/clean.csv" });
    expect(facets["train@b"]).toMatchObject({ desc: "Train one model per variant", cmd: "cp data/clean.csv data/model-b.bin" });
    expect(facets["evaluate@a-test"]).not.toHaveProperty("desc");
    // train@a reads clean.csv and the features directory: two inputs into its job run.
    const trainA = body.stages.find((stage) => stage.name === "train@a")!.node;
    expect(stored.edges.filter((edge) => edge.dst === trainA)).toHaveLength(2);
  });

  it("makes a new job run for a changed stage and keeps the unchanged one", async () => {
    const t = await createProjectWithToken();
    const first = await post(t.project.slug, t.plaintext, { lock: twoStageLock() });
    const changed = await post(t.project.slug, t.plaintext, { lock: twoStageLock("9d4b1f7e2c3a4b5c6d7e8f9a0b1c2d3e") });
    expect(changed.body.counts).toMatchObject({ job_runs_created: 1, dataset_versions_created: 1, dataset_versions_known: 2, edges_created: 2 });
    expect(changed.body.stages.map((stage) => stage.created)).toEqual([false, true]);
    expect(changed.body.stages[0]!.node).toBe(first.body.stages[0]!.node);
    const stored = await lineageOf(t.project.id);
    expect(stored.jobs).toHaveLength(2);
    expect(stored.jobRuns.filter((run) => run.job.name === "featurize")).toHaveLength(2);
    expect(stored.versions.filter((version) => version.name === "features.csv").map((version) => version.digest).sort()).toEqual([
      "0f343b0931126a20f133d67c2b018a3b",
      "9d4b1f7e2c3a4b5c6d7e8f9a0b1c2d3e",
    ]);

    // A changed param is a new execution too, and the job shows the latest params.
    const reseeded = await post(t.project.slug, t.plaintext, { lock: twoStageLock("9d4b1f7e2c3a4b5c6d7e8f9a0b1c2d3e", 8) });
    expect(reseeded.body.stages.map((stage) => stage.created)).toEqual([true, false]);
    const prepare = (await lineageOf(t.project.id)).jobs.find((job) => job.name === "prepare")!;
    expect(prepare.facets).toMatchObject({ params: { "params.yaml": { "prepare.seed": 8 } } });
  });

  it("names the repository in the namespace and the commit in sources, and records the importing user", async () => {
    const t = await createProjectWithToken();
    const access = await resolveProjectAccess(t.member, t.project.slug);
    const repo = { url: "https://github.com/acme/fraud.git", commit: "3f1c2a9" };
    const result = await importDvcLock(access, { lock: twoStageLock(), repo });
    expect(result.namespace).toBe("dvc:https://github.com/acme/fraud.git");
    const stored = await lineageOf(t.project.id);
    const raw = stored.versions.find((version) => version.name === "raw.csv")!;
    expect(raw.createdBy).toBe(t.member.userId);
    expect(JSON.parse(raw.source)).toEqual({ uri: "raw.csv", path: "raw.csv", repo: repo.url, commit: repo.commit });
    expect(stored.jobRuns[0]!.facets).toMatchObject({ repo: repo.url, commit: repo.commit });
    expect(new Set(stored.jobs.map((job) => job.namespace))).toEqual(new Set([result.namespace]));

    // The datasets pages show the imported version with its path, its origin and who imported it.
    const detail = await callerFor(t.member).datasets.get({ projectSlug: t.project.slug, name: "raw.csv" });
    expect(detail.versions).toEqual([
      expect.objectContaining({ digest: RAW_MD5, sourceType: "dvc", sourceUri: "raw.csv", origin: "dvc", firstLoggedBy: t.member.userId, runCount: 0 }),
    ]);
  });

  it("links a run that logs a DVC-tracked file by path and md5 to the version the import made", async () => {
    const t = await createProjectWithToken();
    await post(t.project.slug, t.plaintext, { lock: twoStageLock() });
    const access = await resolveProjectAccess(systemActor, t.project.slug);
    const run = await createRun(access, { experimentId: "0", startTime: 1_000, userId: "alice", runName: "train", tags: [] });
    await logInputs(access, run.id, [
      {
        dataset: { name: "features.csv", digest: "0f343b0931126a20f133d67c2b018a3b", sourceType: "dvc", source: '{"uri": "features.csv"}' },
        tags: [{ key: "mlflow.data.context", value: "train" }],
      },
    ]);
    const stored = await lineageOf(t.project.id);
    const features = stored.versions.filter((version) => version.name === "features.csv");
    expect(features).toHaveLength(1);
    expect(features[0]!.origin).toBe("dvc");
    expect(stored.edges).toContainEqual(
      expect.objectContaining({ src: `dataset:${features[0]!.id}`, dst: `run:${run.id}`, kind: "input", context: "train" }),
    );

    // Upstream of the run: features.csv ← featurize ← clean.csv ← prepare ← raw.csv.
    const graph = await lineageGraph(access, { node: `run:${run.id}`, direction: "upstream", depth: 10 });
    const labels = graph.nodes.sort((a, b) => a.depth - b.depth).map((node) => [node.depth, node.kind, node.label]);
    expect(labels).toEqual([
      [0, "run", "train"],
      [1, "dataset", "features.csv"],
      [2, "job", "featurize"],
      [3, "dataset", "clean.csv"],
      [4, "job", "prepare"],
      [5, "dataset", "raw.csv"],
    ]);
    expect(graph.nodes.find((node) => node.label === "raw.csv")!.id).toBe(`dataset:raw.csv@${RAW_MD5}`);
  });

  it("refuses bad input with 400 naming the field, and stores nothing", async () => {
    const t = await createProjectWithToken();
    const refused = async (body: unknown) => {
      const { status, body: answer } = await post(t.project.slug, t.plaintext, body);
      expect(status).toBe(400);
      expect(answer.error!.code).toBe("BAD_INPUT");
      return answer.error!.message;
    };
    expect(await refused({})).toMatch(/^lock: /);
    expect(await refused({ lock: twoStageLock(), dvc_yaml: "stages: {}" })).toMatch(/Unrecognized key.*dvc_yaml/);
    expect(await refused({ lock: twoStageLock(), repo: { url: "https://alice:ghp_secret@github.com/acme/fraud.git" } })).toMatch(/^repo\.url: .*credentials/);
    expect(await refused({ lock: twoStageLock(), repo: { commit: "main" } })).toMatch(/^repo\.commit: /);
    expect(await refused("{not json")).toMatch(/not valid JSON/);
    expect(await refused({ lock: "stages: [" })).toMatch(/^lock is not valid YAML/);
    // The first stage is fine; the second's dep has no md5: nothing of either is stored.
    const withoutMd5 = twoStageLock().replace(/( {2}featurize:\n(?:.*\n){3} {6}hash: md5\n) {6}md5: \w+\n/, "$1");
    expect(await refused({ lock: withoutMd5 })).toBe("lock: stages.featurize.deps[0].md5: missing: only md5-hashed files can be imported");
    expect(await refused({ lock: twoStageLock(), dvcYaml: "stages:\n  prepare:\n    desc: [no]\n" })).toBe(
      "dvcYaml: stages.prepare.desc: expected a description, found a list",
    );
    expect(await lineageOf(t.project.id)).toEqual({ versions: [], jobs: [], jobRuns: [], edges: [] });
  });

  it("stays in its project: a read token is refused, another project's token finds no project", async () => {
    const victim = await createProjectWithToken();
    const reader = await createProjectWithToken("MEMBER", ["read"]);
    const intruder = await createProjectWithToken();
    expect((await post(reader.project.slug, reader.plaintext, { lock: twoStageLock() })).status).toBe(403);
    const foreign = await post(victim.project.slug, intruder.plaintext, { lock: twoStageLock() });
    expect(foreign.status).toBe(404);
    expect(await lineageOf(victim.project.id)).toEqual({ versions: [], jobs: [], jobRuns: [], edges: [] });
    expect(await lineageOf(reader.project.id)).toEqual({ versions: [], jobs: [], jobRuns: [], edges: [] });
    expect(await lineageOf(intruder.project.id)).toEqual({ versions: [], jobs: [], jobRuns: [], edges: [] });

    // The same lock in two projects makes two separate graphs.
    const own = await post(intruder.project.slug, intruder.plaintext, { lock: twoStageLock() });
    const theirs = await post(victim.project.slug, victim.plaintext, { lock: twoStageLock() });
    expect(theirs.body.counts.job_runs_created).toBe(2);
    expect(theirs.body.stages[0]!.node).not.toBe(own.body.stages[0]!.node);
    const victimNodes = new Set((await lineageOf(victim.project.id)).edges.flatMap((edge) => [edge.src, edge.dst]));
    for (const stage of own.body.stages) expect(victimNodes.has(stage.node)).toBe(false);
  });
});
