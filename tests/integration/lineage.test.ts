import { beforeAll, describe, expect, it } from "vitest";
import { GET as downstreamRoute } from "@/app/api/v1/projects/[slug]/lineage/downstream/route";
import { GET as impactRoute } from "@/app/api/v1/projects/[slug]/lineage/impact/route";
import { GET as upstreamRoute } from "@/app/api/v1/projects/[slug]/lineage/upstream/route";
import { db } from "@/server/db/client";
import { resolveProjectAccess, type ProjectAccess } from "@/server/services/access";
import { createLoggedModel } from "@/server/services/logged-models";
import { setModelAlias, transitionModelVersionStage } from "@/server/services/promotions";
import { createModelVersion, createRegisteredModel, deleteModelVersion } from "@/server/services/registry";
import { createRun, getRun, logInputs, logOutputs } from "@/server/services/runs";
import { callerFor, createProjectWithToken, systemActor, trpcErrorOf, uniqueSuffix } from "../factories";

/**
 * The lineage graph: edges mirrored from what runs and the registry record, walks in both directions
 * with a depth bound and a cycle guard, and impact queries marking what the registry holds now.
 */

type Project = Awaited<ReturnType<typeof createProjectWithToken>>;
let project: Project;
let access: ProjectAccess;

beforeAll(async () => {
  project = await createProjectWithToken("MEMBER", ["read"]);
  access = await resolveProjectAccess(systemActor, project.project.slug);
});

const dataset = (name: string, digest: string) => ({ name, digest, sourceType: "s3", source: `{"uri": "s3://lake/${name}/${digest}"}` });
const context = (value: string) => [{ key: "mlflow.data.context", value }];
const run = (name: string, tags: { key: string; value: string }[] = []) =>
  createRun(access, { experimentId: "0", runName: name, startTime: Date.now(), tags });

/**
 * raw data → (train) training run, child of a sweep → logged model → fraud v1 (champion, Production);
 * the same run's eval data; a second version registered from the run alone.
 */
async function chain() {
  const s = uniqueSuffix();
  const names = { data: `transactions-${s}`, evalData: `holdout-${s}`, model: `fraud-${s}` };
  const sweep = await run(`sweep-${s}`);
  const train = await run(`train-${s}`, [
    { key: "mlflow.parentRunId", value: sweep.id },
    { key: "mlflow.source.git.commit", value: `c0ffee${s}00000000000000000000000000` },
  ]);
  await logInputs(access, train.id, [
    { dataset: dataset(names.data, "d1"), tags: context("train") },
    { dataset: dataset(names.evalData, "e1"), tags: context("eval") },
  ]);
  const logged = await createLoggedModel(access, { experimentId: "0", name: "clf", sourceRunId: train.id, params: [], tags: [] });
  await createRegisteredModel(access, { name: names.model });
  await createModelVersion(access, names.model, { source: `models:/${logged.id}`, runId: train.id });
  await createModelVersion(access, names.model, { source: `runs:/${train.id}/model`, runId: train.id });
  await setModelAlias(access, names.model, "champion", 1);
  await transitionModelVersionStage(access, names.model, 1, { stage: "Production", archiveExisting: false });
  return { s, names, sweep, train, logged };
}

const edgeSet = (edges: { from: string; to: string; kind: string; context: string | null }[]) =>
  edges.map((edge) => `${edge.from} -${edge.kind}${edge.context ? `(${edge.context})` : ""}-> ${edge.to}`).sort();

describe("lineage graph", () => {
  it("answers what data trained the model in production: upstream of the champion alias", async () => {
    const { names, sweep, train, logged } = await chain();
    const graph = await callerFor(project.member).lineage.graph({
      projectSlug: project.project.slug,
      node: `alias:${names.model}@champion`,
      direction: "upstream",
      depth: 10,
    });
    expect(graph.root).toBe(`alias:${names.model}@champion`);
    const version = `version:${names.model}/1`;
    expect(new Map(graph.nodes.map((node) => [node.id, [node.kind, node.depth]]))).toEqual(
      new Map<string, [string, number]>([
        [version, ["version", 0]],
        [`model:${logged.id}`, ["model", 1]],
        [`run:${train.id}`, ["run", 2]],
        [`run:${sweep.id}`, ["run", 3]],
        [`dataset:${names.data}@d1`, ["dataset", 3]],
        [`dataset:${names.evalData}@e1`, ["dataset", 3]],
        [`alias:${names.model}@champion`, ["alias", 1]],
        [`stage:${names.model}/Production`, ["stage", 1]],
      ]),
    );
    expect(edgeSet(graph.edges)).toEqual(
      [
        `dataset:${names.data}@d1 -input(train)-> run:${train.id}`,
        `dataset:${names.evalData}@e1 -input(eval)-> run:${train.id}`,
        `run:${sweep.id} -parent-> run:${train.id}`,
        `run:${train.id} -produced-> model:${logged.id}`,
        `model:${logged.id} -registered-> ${version}`,
        `${version} -holds-> alias:${names.model}@champion`,
        `${version} -holds-> stage:${names.model}/Production`,
      ].sort(),
    );
    const data = graph.nodes.find((node) => node.kind === "dataset" && node.label === names.data);
    expect(data).toMatchObject({ path: `/datasets/${names.data}?digest=d1`, detail: `d1 · s3://lake/${names.data}/d1` });
    expect(graph.nodes.find((node) => node.id === version)?.path).toBe(`/models/${names.model}/versions/1`);
  });

  it("walks downstream from a dataset version to the versions and pointers trained on it, within the depth bound", async () => {
    const { names, train, logged } = await chain();
    const caller = callerFor(project.member);
    const node = `dataset:${names.data}@d1`;
    const full = await caller.lineage.graph({ projectSlug: project.project.slug, node, direction: "downstream", depth: 10 });
    expect(full.nodes.map((n) => n.id).sort()).toEqual(
      [
        node,
        `run:${train.id}`,
        `model:${logged.id}`,
        `version:${names.model}/1`,
        `version:${names.model}/2`,
        `alias:${names.model}@champion`,
        `stage:${names.model}/Production`,
      ].sort(),
    );
    // Version 2 was registered from the run alone: its edge comes from the run.
    expect(edgeSet(full.edges)).toContain(`run:${train.id} -registered-> version:${names.model}/2`);
    const one = await caller.lineage.graph({ projectSlug: project.project.slug, node, direction: "downstream", depth: 1 });
    expect(one.nodes.map((n) => n.id).sort()).toEqual([node, `run:${train.id}`].sort());
    const none = await caller.lineage.graph({ projectSlug: project.project.slug, node, direction: "downstream", depth: 0 });
    expect(none.nodes.map((n) => n.id)).toEqual([node]);
  });

  it("follows datasets a run produced into the runs that consumed them, and stops at cycles", async () => {
    const s = uniqueSuffix();
    const [prepare, featurize] = [await run(`prepare-${s}`), await run(`featurize-${s}`)];
    // prepare reads raw and writes clean; featurize reads clean and writes raw's next... the same raw: a cycle.
    await logInputs(access, prepare.id, [
      { dataset: dataset(`raw-${s}`, "r1"), tags: context("train") },
      { dataset: dataset(`clean-${s}`, "c1"), tags: context("output") },
    ]);
    await logInputs(access, featurize.id, [
      { dataset: dataset(`clean-${s}`, "c1"), tags: context("train") },
      { dataset: dataset(`raw-${s}`, "r1"), tags: context("output") },
    ]);
    const graph = await callerFor(project.member).lineage.graph({
      projectSlug: project.project.slug,
      node: `dataset:raw-${s}@r1`,
      direction: "downstream",
      depth: 20,
    });
    expect(graph.nodes.map((n) => [n.id, n.depth])).toEqual(
      expect.arrayContaining([
        [`dataset:raw-${s}@r1`, 0],
        [`run:${prepare.id}`, 1],
        [`dataset:clean-${s}@c1`, 2],
        [`run:${featurize.id}`, 3],
      ]),
    );
    expect(graph.nodes).toHaveLength(4);
    expect(edgeSet(graph.edges)).toEqual(
      [
        `dataset:raw-${s}@r1 -input(train)-> run:${prepare.id}`,
        `run:${prepare.id} -output-> dataset:clean-${s}@c1`,
        `dataset:clean-${s}@c1 -input(train)-> run:${featurize.id}`,
        `run:${featurize.id} -output-> dataset:raw-${s}@r1`,
      ].sort(),
    );
    expect(graph.truncated).toBe(false);
  });

  it("links a logged model used as a base to the run that fine-tuned it", async () => {
    const s = uniqueSuffix();
    const pretrain = await run(`pretrain-${s}`);
    const base = await createLoggedModel(access, { experimentId: "0", name: "base", sourceRunId: pretrain.id, params: [], tags: [] });
    const finetune = await run(`finetune-${s}`);
    await logInputs(access, finetune.id, [], [base.id]);
    const graph = await callerFor(project.member).lineage.graph({ projectSlug: project.project.slug, node: `run:${finetune.id}`, direction: "upstream", depth: 5 });
    expect(edgeSet(graph.edges)).toEqual([`model:${base.id} -base_model-> run:${finetune.id}`, `run:${pretrain.id} -produced-> model:${base.id}`].sort());
    // MLflow's runs/get now answers the model inputs it was sent.
    expect((await getRun(access, finetune.id)).modelInputs).toEqual([{ modelId: base.id }]);
  });

  it("links a run's logged outputs (runs/outputs) as models it produced", async () => {
    const s = uniqueSuffix();
    const producer = await run(`producer-${s}`);
    const logged = await createLoggedModel(access, { experimentId: "0", name: "out", params: [], tags: [] });
    await logOutputs(access, producer.id, [{ model_id: logged.id, step: 3 }]);
    const graph = await callerFor(project.member).lineage.graph({ projectSlug: project.project.slug, node: `model:${logged.id}`, direction: "upstream", depth: 2 });
    expect(edgeSet(graph.edges)).toEqual([`run:${producer.id} -produced-> model:${logged.id}`]);
  });

  it("forgets the edges of a deleted model version", async () => {
    const { names, train } = await chain();
    const edgesOfRun = () => db().lineageEdge.count({ where: { OR: [{ src: `run:${train.id}` }, { dst: `run:${train.id}` }] } });
    // two datasets in, the sweep parent, the logged model and version 2 out
    expect(await edgesOfRun()).toBe(5);
    await deleteModelVersion(access, names.model, 2);
    expect(await edgesOfRun()).toBe(4);
    const graph = await callerFor(project.member).lineage.graph({ projectSlug: project.project.slug, node: `run:${train.id}`, direction: "downstream", depth: 3 });
    expect(graph.nodes.map((node) => node.id)).not.toContain(`version:${names.model}/2`);
  });

  it("refuses malformed and unknown nodes clearly", async () => {
    const caller = callerFor(project.member);
    const slug = project.project.slug;
    expect(await trpcErrorOf(caller.lineage.graph({ projectSlug: slug, node: "table:x" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("kind one of dataset, run, model, version, job, alias, stage"),
    });
    expect(await trpcErrorOf(caller.lineage.graph({ projectSlug: slug, node: "version:fraud/latest" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining('"latest" is not a version number'),
    });
    expect(await trpcErrorOf(caller.lineage.graph({ projectSlug: slug, node: "dataset:nothing" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await trpcErrorOf(caller.lineage.graph({ projectSlug: slug, node: "run:0123456789abcdef0123456789abcdef" }))).toMatchObject({
      code: "NOT_FOUND",
      message: "No lineage node run:0123456789abcdef0123456789abcdef in this project",
    });
    expect((await trpcErrorOf(caller.lineage.graph({ projectSlug: slug, node: "run:x", depth: 21 }))).code).toBe("BAD_REQUEST");
  });
});

describe("impact queries", () => {
  it("answers every run, logged model and version trained on a dataset version, marking what holds a pointer now, with paths", async () => {
    const { names, train, logged } = await chain();
    const impact = await callerFor(project.member).lineage.impact({ projectSlug: project.project.slug, query: { dataset: names.data, digest: "d1" } });
    expect(impact.sources.map((node) => node.id)).toEqual([`dataset:${names.data}@d1`]);
    expect(impact.runs.map((item) => item.node.id)).toEqual([`run:${train.id}`]);
    expect(impact.loggedModels.map((item) => item.node.id)).toEqual([`model:${logged.id}`]);
    expect(impact.modelVersions.map((item) => [item.node.id, item.holders, item.path])).toEqual([
      [
        `version:${names.model}/1`,
        [
          { kind: "alias", name: "champion" },
          { kind: "stage", name: "Production" },
        ],
        [`dataset:${names.data}@d1`, `run:${train.id}`, `model:${logged.id}`, `version:${names.model}/1`],
      ],
      [`version:${names.model}/2`, [], [`dataset:${names.data}@d1`, `run:${train.id}`, `version:${names.model}/2`]],
    ]);
    expect(impact.holding).toBe(1);
  });

  it("starts from a git commit (a prefix, as git allows) or from a logged model used as a base", async () => {
    const { s, names, train } = await chain();
    const caller = callerFor(project.member);
    const byCommit = await caller.lineage.impact({ projectSlug: project.project.slug, query: { commit: `c0ffee${s}` } });
    expect(byCommit.sources.map((node) => node.id)).toEqual([`run:${train.id}`]);
    expect(byCommit.modelVersions.map((item) => item.node.id)).toEqual([`version:${names.model}/1`, `version:${names.model}/2`]);

    const base = await createLoggedModel(access, { experimentId: "0", name: "base", params: [], tags: [] });
    const tuned = await run(`tuned-${s}`);
    await logInputs(access, tuned.id, [], [base.id]);
    const byModel = await caller.lineage.impact({ projectSlug: project.project.slug, query: { model: base.id } });
    expect(byModel.runs.map((item) => item.node.id)).toEqual([`run:${tuned.id}`]);
  });

  it("refuses a query without exactly one starting point, and names what is not there", async () => {
    const caller = callerFor(project.member);
    const slug = project.project.slug;
    expect((await trpcErrorOf(caller.lineage.impact({ projectSlug: slug, query: {} }))).code).toBe("BAD_REQUEST");
    expect((await trpcErrorOf(caller.lineage.impact({ projectSlug: slug, query: { dataset: "x", commit: "abcd" } }))).code).toBe("BAD_REQUEST");
    expect(await trpcErrorOf(caller.lineage.impact({ projectSlug: slug, query: { commit: "not-hex" } }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("commit") });
    expect(await trpcErrorOf(caller.lineage.impact({ projectSlug: slug, query: { dataset: "nope" } }))).toMatchObject({
      code: "NOT_FOUND",
      message: "No dataset nope in this project",
    });
  });
});

describe("lineage REST API", () => {
  const get = (route: typeof upstreamRoute, slug: string, path: string, query: string, token = project.plaintext) =>
    route(new Request(`http://t/api/v1/projects/${slug}/lineage/${path}?${query}`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({ slug }),
    });

  it("answers upstream, downstream and impact in snake_case for a read token", async () => {
    const { names, train } = await chain();
    const slug = project.project.slug;
    const up = await get(upstreamRoute, slug, "upstream", `node=${encodeURIComponent(`version:${names.model}/1`)}&depth=10`);
    expect(up.status).toBe(200);
    const upBody = (await up.json()) as { nodes: { id: string }[]; edges: unknown[] };
    expect(upBody.nodes.map((node) => node.id)).toContain(`dataset:${names.data}@d1`);
    const down = await get(downstreamRoute, slug, "downstream", `node=run:${train.id}&depth=1`);
    expect(((await down.json()) as { nodes: { id: string }[] }).nodes.map((node) => node.id)).toContain(`version:${names.model}/2`);
    const impact = await get(impactRoute, slug, "impact", `dataset=${names.data}&digest=d1`);
    const impactBody = (await impact.json()) as { model_versions: { node: { id: string }; holders: unknown[] }[]; holding: number };
    expect(impactBody.model_versions.map((item) => item.node.id)).toEqual([`version:${names.model}/1`, `version:${names.model}/2`]);
    expect(impactBody.holding).toBe(1);
  });

  it("answers 400 naming the problem for bad queries", async () => {
    const slug = project.project.slug;
    const bad = await get(upstreamRoute, slug, "upstream", "node=run:x&depth=99");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("depth");
    const none = await get(impactRoute, slug, "impact", "");
    expect(none.status).toBe(400);
    expect(JSON.stringify(await none.json())).toContain("exactly one of dataset");
  });

  it("finds nothing of another project with another project's token", async () => {
    const { names, train } = await chain();
    const other = await createProjectWithToken("MEMBER", ["read"]);
    const slug = project.project.slug;
    // Another project's token on this project's URL is refused.
    expect([403, 404]).toContain((await get(upstreamRoute, slug, "upstream", `node=run:${train.id}`, other.plaintext)).status);
    // On its own URL, this project's nodes do not exist.
    const mine = other.project.slug;
    for (const [route, path, query] of [
      [upstreamRoute, "upstream", `node=run:${train.id}`],
      [downstreamRoute, "downstream", `node=${encodeURIComponent(`dataset:${names.data}@d1`)}`],
      [impactRoute, "impact", `dataset=${names.data}`],
    ] as const) {
      const response = await get(route, mine, path, query, other.plaintext);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    }
  });
});
