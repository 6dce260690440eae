import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { POST as postLineage } from "@/app/api/v1/lineage/route";
import { POST as postProjectLineage } from "@/app/api/v1/projects/[slug]/lineage/route";
import { parseOpenLineageRunEvent, type OpenLineageRunEvent } from "@/lib/schemas/openlineage";
import { db } from "@/server/db/client";
import { resolveProjectAccess } from "@/server/services/access";
import { lineageGraph } from "@/server/services/lineage";
import { recordOpenLineageEvent } from "@/server/services/openlineage";
import { createRun, logBatch } from "@/server/services/runs";
import { addTestMember, createProjectWithToken, systemActor, uniqueSuffix } from "../factories";

const PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python";
const BASE = { _producer: PRODUCER, _schemaURL: "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json" };

type Dataset = { namespace: string; name: string; facets?: Record<string, unknown> };

function runEvent(options: {
  runId: string;
  eventType?: string;
  eventTime?: string;
  job?: string;
  inputs?: Dataset[];
  outputs?: Dataset[];
  runFacets?: Record<string, unknown>;
}) {
  return {
    eventType: options.eventType ?? "START",
    eventTime: options.eventTime ?? "2026-12-01T10:00:00.000000+00:00",
    producer: PRODUCER,
    schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    run: { runId: options.runId, facets: options.runFacets ?? {} },
    job: { namespace: "airflow", name: options.job ?? "prepare.build_training_set", facets: {} },
    inputs: options.inputs ?? [],
    outputs: options.outputs ?? [],
  };
}

const version = (datasetVersion: string) => ({ version: { ...BASE, datasetVersion } });
const raw = (facets?: Record<string, unknown>): Dataset => ({ namespace: "s3://lake", name: "raw/transactions", facets });
const trainingSet = (facets?: Record<string, unknown>): Dataset => ({ namespace: "s3://lake", name: "curated/training_set", facets });

async function tokenProject() {
  const { project, plaintext, owner } = await createProjectWithToken("MEMBER", ["read", "write"]);
  return { project, token: plaintext, owner };
}

function post(token: string, body: unknown, options: { slug?: string; headers?: Record<string, string> } = {}) {
  const url = options.slug ? `http://t/api/v1/projects/${options.slug}/lineage` : "http://t/api/v1/lineage";
  const request = new Request(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...options.headers },
    body: typeof body === "string" ? body : body instanceof Uint8Array ? new Blob([new Uint8Array(body)]) : JSON.stringify(body),
  });
  return options.slug ? postProjectLineage(request, { params: Promise.resolve({ slug: options.slug }) }) : postLineage(request);
}

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Everything OpenLineage intake writes for a project. */
async function stored(projectId: string) {
  const [events, jobs, jobRuns, versions, edges] = await Promise.all([
    db().openLineageEvent.findMany({ where: { projectId }, select: { runId: true, eventType: true, eventTime: true }, orderBy: { id: "asc" } }),
    db().lineageJob.findMany({ where: { projectId }, select: { id: true, namespace: true, name: true, origin: true } }),
    db().lineageJobRun.findMany({
      where: { projectId },
      select: { id: true, jobId: true, externalId: true, parentExternalId: true, state: true, startedAt: true, endedAt: true },
    }),
    db().datasetVersion.findMany({
      where: { projectId },
      select: { id: true, name: true, digest: true, sourceType: true, source: true, schema: true, origin: true, createdBy: true },
      orderBy: [{ name: "asc" }, { digest: "asc" }],
    }),
    db().lineageEdge.findMany({ where: { projectId }, select: { src: true, dst: true, kind: true }, orderBy: [{ src: "asc" }, { dst: "asc" }] }),
  ]);
  return { events, jobs, jobRuns, versions, edges };
}

/** The event as the service takes it, parsed as the route parses it. */
function valid(event: unknown): OpenLineageRunEvent {
  const parsed = parseOpenLineageRunEvent(event);
  if ("problems" in parsed) throw new Error(parsed.problems.join("; "));
  return parsed.event;
}

const versionId = (rows: { id: string; name: string; digest: string }[], name: string, digest?: string) =>
  rows.find((row) => row.name === name && (digest === undefined || row.digest === digest))!.id;

describe("OpenLineage intake: POST /api/v1/lineage", () => {
  it("stores a START and COMPLETE pair as one job, one job run, dataset versions and their edges", async () => {
    const { project, token } = await tokenProject();
    const runId = randomUUID();
    const start = runEvent({ runId, inputs: [raw(version("v7"))], outputs: [trainingSet()] });
    const complete = runEvent({
      runId,
      eventType: "COMPLETE",
      eventTime: "2026-12-01T10:05:00Z",
      inputs: [raw(version("v7"))],
      outputs: [trainingSet(version("ts-42"))],
    });
    expect(await answer(await post(token, start))).toEqual({ status: 201, body: { stored: true } });
    expect(await answer(await post(token, complete))).toEqual({ status: 201, body: { stored: true } });

    const after = await stored(project.id);
    expect(after.events.map((event) => event.eventType)).toEqual(["START", "COMPLETE"]);
    expect(after.jobs).toEqual([expect.objectContaining({ namespace: "airflow", name: "prepare.build_training_set", origin: "openlineage" })]);
    expect(after.jobRuns).toEqual([
      {
        id: expect.any(String),
        jobId: after.jobs[0]!.id,
        externalId: runId,
        parentExternalId: null,
        state: "COMPLETE",
        startedAt: new Date("2026-12-01T10:00:00Z"),
        endedAt: new Date("2026-12-01T10:05:00Z"),
      },
    ]);
    // The output named without a version at START is the versioned one COMPLETE names: no phantom version.
    expect(after.versions.map(({ name, digest, sourceType, origin }) => ({ name, digest, sourceType, origin }))).toEqual([
      { name: "curated/training_set", digest: "ts-42", sourceType: "openlineage", origin: "openlineage" },
      { name: "raw/transactions", digest: "v7", sourceType: "openlineage", origin: "openlineage" },
    ]);
    expect(JSON.parse(after.versions[1]!.source)).toEqual({ uri: "s3://lake/raw/transactions", namespace: "s3://lake", name: "raw/transactions" });
    const job = `job:${after.jobRuns[0]!.id}`;
    expect(after.edges).toEqual(
      [
        { src: `dataset:${versionId(after.versions, "raw/transactions")}`, dst: job, kind: "input" },
        { src: job, dst: `dataset:${versionId(after.versions, "curated/training_set")}`, kind: "output" },
      ].sort((a, b) => (a.src < b.src ? -1 : 1)),
    );
  });

  it("answers a repeated event as a duplicate and changes nothing", async () => {
    const { project, token } = await tokenProject();
    const event = runEvent({ runId: randomUUID(), inputs: [raw()], outputs: [trainingSet()] });
    await post(token, event);
    const before = await stored(project.id);
    expect(await answer(await post(token, event))).toEqual({ status: 200, body: { stored: false, duplicate: true } });
    // The run id in capitals is the same run.
    expect((await post(token, { ...event, run: { ...event.run, runId: event.run.runId.toUpperCase() } })).status).toBe(200);
    expect(await stored(project.id)).toEqual(before);
  });

  it.each([
    ["missing eventType", (e: Record<string, unknown>) => ({ ...e, eventType: undefined }), "eventType: required"],
    ["an eventTime without offset", (e: Record<string, unknown>) => ({ ...e, eventTime: "2026-12-01T10:00:00" }), "eventTime: must be an ISO-8601 date-time"],
    ["an eventTime that is no date", (e: Record<string, unknown>) => ({ ...e, eventTime: "yesterday" }), "eventTime: must be an ISO-8601 date-time"],
    ["a runId that is not a UUID", (e: Record<string, unknown>) => ({ ...e, run: { runId: "run-1" } }), "run.runId: must be a UUID"],
    ["an input without a name", (e: Record<string, unknown>) => ({ ...e, inputs: [raw(), { namespace: "s3://lake" }] }), "inputs[1].name: required"],
    ["an empty job name", (e: Record<string, unknown>) => ({ ...e, job: { namespace: "airflow", name: "" } }), "job.name: must not be empty"],
    ["no producer", (e: Record<string, unknown>) => ({ ...e, producer: undefined }), "producer: required"],
    [
      "a version facet of the wrong shape",
      (e: Record<string, unknown>) => ({ ...e, outputs: [trainingSet({ version: { ...BASE, datasetVersion: 42 } })] }),
      "outputs[0].facets.version.datasetVersion: must be a string",
    ],
    [
      "a parent facet whose run id is not a UUID",
      (e: Record<string, unknown>) => ({
        ...e,
        run: { runId: randomUUID(), facets: { parent: { ...BASE, run: { runId: "dag-run-7" }, job: { namespace: "airflow", name: "dag" } } } },
      }),
      "run.facets.parent.run.runId: must be a UUID",
    ],
    [
      "a schema facet whose fields are not a list",
      (e: Record<string, unknown>) => ({ ...e, inputs: [raw({ schema: { ...BASE, fields: "amount double" } })] }),
      "inputs[0].facets.schema.fields: must be an array",
    ],
    ["a facet that is not an object", (e: Record<string, unknown>) => ({ ...e, inputs: [raw({ quality: "good" })] }), "inputs[0].facets.quality: must be an object"],
    ["a DatasetEvent", () => ({ eventTime: "2026-12-01T10:00:00Z", producer: PRODUCER, schemaURL: PRODUCER, dataset: raw() }), "run: required"],
  ])("refuses %s with a 400 naming the field, and stores nothing", async (_case, spoil, message) => {
    const { project, token } = await tokenProject();
    const response = await answer(await post(token, spoil(runEvent({ runId: randomUUID(), inputs: [raw()], outputs: [trainingSet()] }))));
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: "BAD_INPUT", message: expect.stringContaining(message) } });
    expect(await stored(project.id)).toEqual({ events: [], jobs: [], jobRuns: [], versions: [], edges: [] });
  });

  it("refuses a body that is not JSON, and one past the size limit", async () => {
    const { project, token } = await tokenProject();
    expect(await answer(await post(token, "{not json"))).toEqual({ status: 400, body: { error: { code: "BAD_INPUT", message: "The request body is not valid JSON" } } });
    const huge = runEvent({ runId: randomUUID(), inputs: [raw({ notes: { ...BASE, text: "x".repeat(1024 * 1024) } })] });
    expect((await post(token, huge)).status).toBe(413);
    expect(await stored(project.id)).toEqual({ events: [], jobs: [], jobRuns: [], versions: [], edges: [] });
  });

  it("accepts a gzipped event (the transport's compression option)", async () => {
    const { project, token } = await tokenProject();
    const body = gzipSync(JSON.stringify(runEvent({ runId: randomUUID(), inputs: [raw()] })));
    expect((await post(token, body, { headers: { "content-encoding": "gzip" } })).status).toBe(201);
    expect((await stored(project.id)).events).toHaveLength(1);
  });

  it("stores a job that reads its own output, with both edges", async () => {
    const { project, token } = await tokenProject();
    const ledger: Dataset = { namespace: "postgres://db:5432", name: "finance.public.ledger", facets: version("1041") };
    expect((await post(token, runEvent({ runId: randomUUID(), job: "dedupe_ledger", inputs: [ledger], outputs: [ledger] }))).status).toBe(201);
    const { versions, jobRuns, edges } = await stored(project.id);
    expect(versions).toHaveLength(1);
    expect(JSON.parse(versions[0]!.source)).toMatchObject({ uri: "postgres://db:5432/finance.public.ledger" });
    const [dataset, job] = [`dataset:${versions[0]!.id}`, `job:${jobRuns[0]!.id}`];
    expect(edges).toEqual(expect.arrayContaining([{ src: dataset, dst: job, kind: "input" }, { src: job, dst: dataset, kind: "output" }]));
    expect(edges).toHaveLength(2);
  });

  it("takes digests from the version facet, else a content hash facet, else a stable unversioned hash", async () => {
    const { project, token } = await tokenProject();
    const contentHash = { contentHash: { ...BASE, algorithm: "sha256", hash: "9f86d081884c7d65" } };
    const unversioned = { namespace: "file", name: "/data/labels.csv" };
    await post(token, runEvent({ runId: randomUUID(), inputs: [raw(version("v7")), trainingSet(contentHash), unversioned] }));
    await post(token, runEvent({ runId: randomUUID(), job: "other", inputs: [unversioned, raw(version("v8"))] }));
    const { versions } = await stored(project.id);
    const digests = (name: string) => versions.filter((row) => row.name === name).map((row) => row.digest);
    expect(digests("raw/transactions")).toEqual(["v7", "v8"]);
    expect(digests("curated/training_set")).toEqual(["9f86d081884c7d65"]);
    // Both events name the unversioned file: one version, with a digest that only names the dataset.
    expect(digests("/data/labels.csv")).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/)]);
    expect(JSON.parse(versions.find((row) => row.name === "/data/labels.csv")!.source).uri).toBe("file/data/labels.csv");
  });

  it("converts a schema facet to MLflow's column spec", async () => {
    const { project, token } = await tokenProject();
    const schema = {
      schema: {
        ...BASE,
        fields: [
          { name: "country", type: "VARCHAR(2)", ordinal_position: 2 },
          { name: "amount", type: "decimal(10,2)", ordinal_position: 1 },
          { name: "seen_at", type: "TIMESTAMP" },
          { name: "merchant", type: "struct", fields: [{ name: "id", type: "bigint" }] },
          { name: "geo", type: "GEOGRAPHY" },
        ],
      },
    };
    await post(token, runEvent({ runId: randomUUID(), inputs: [raw({ ...version("v7"), ...schema })] }));
    const [row] = (await stored(project.id)).versions;
    expect(JSON.parse(row!.schema!)).toEqual({
      mlflow_colspec: [
        { name: "amount", type: "double", required: false },
        { name: "country", type: "string", required: false },
        { name: "seen_at", type: "datetime", required: false },
        { name: "merchant", type: "object", properties: { id: { type: "long", required: false } }, required: false },
        { name: "geo", type: "GEOGRAPHY", required: false },
      ],
    });
  });

  it("keeps the newest state when an older event arrives late", async () => {
    const { project, token } = await tokenProject();
    const runId = randomUUID();
    await post(token, runEvent({ runId, eventType: "COMPLETE", eventTime: "2026-12-01T11:00:00+01:00" }));
    await post(token, runEvent({ runId, eventType: "RUNNING", eventTime: "2026-12-01T09:30:00Z" }));
    await post(token, runEvent({ runId, eventType: "START", eventTime: "2026-12-01T09:00:00Z" }));
    await post(token, runEvent({ runId, eventType: "OTHER", eventTime: "2026-12-01T12:00:00Z" }));
    const [jobRun] = (await stored(project.id)).jobRuns;
    expect(jobRun).toMatchObject({ state: "COMPLETE", startedAt: new Date("2026-12-01T09:00:00Z"), endedAt: new Date("2026-12-01T10:00:00Z") });
  });

  it("replaces an unversioned output with its version whichever arrives first", async () => {
    const { project, token } = await tokenProject();
    const [first, second] = [randomUUID(), randomUUID()];
    const start = (runId: string) => runEvent({ runId, outputs: [trainingSet()] });
    const complete = (runId: string, digest: string) =>
      runEvent({ runId, eventType: "COMPLETE", eventTime: "2026-12-01T10:05:00Z", outputs: [trainingSet(version(digest))] });
    await post(token, start(first));
    await post(token, complete(first, "ts-1"));
    await post(token, complete(second, "ts-2"));
    await post(token, start(second));
    const { versions, edges } = await stored(project.id);
    expect(versions.map((row) => row.digest)).toEqual(["ts-1", "ts-2"]);
    expect(edges.map((edge) => edge.kind)).toEqual(["output", "output"]);
  });
});

describe("OpenLineage intake joins Tally runs", () => {
  async function tallyRun(projectSlug: string, tags: { key: string; value: string }[] = []) {
    const access = await resolveProjectAccess(systemActor, projectSlug);
    return { access, run: await createRun(access, { experimentId: "0", tags }) };
  }

  const jobNode = async (projectId: string, runId: string) =>
    `job:${(await db().lineageJobRun.findFirstOrThrow({ where: { projectId, externalId: runId }, select: { id: true } })).id}`;

  it("links a run tagged openlineage.run_id before the events arrive", async () => {
    const { project, token } = await tokenProject();
    const olRunId = randomUUID();
    const { run } = await tallyRun(project.slug, [{ key: "openlineage.run_id", value: olRunId }]);
    await post(token, runEvent({ runId: olRunId, outputs: [trainingSet()] }));
    const edges = await db().lineageEdge.findMany({ where: { dst: `run:${run.id}` }, select: { src: true, kind: true } });
    expect(edges).toEqual([{ src: await jobNode(project.id, olRunId), kind: "openlineage" }]);
  });

  it("links a run tagged openlineage.run_id after the events arrived", async () => {
    const { project, token } = await tokenProject();
    const olRunId = randomUUID();
    await post(token, runEvent({ runId: olRunId, outputs: [trainingSet()] }));
    const { access, run } = await tallyRun(project.slug);
    await logBatch(access, run.id, { metrics: [], params: [], tags: [{ key: "openlineage.run_id", value: olRunId }] });
    const edges = await db().lineageEdge.findMany({ where: { dst: `run:${run.id}` }, select: { src: true, kind: true } });
    expect(edges).toEqual([{ src: await jobNode(project.id, olRunId), kind: "openlineage" }]);
  });

  it("links the Tally run a parent run facet names, in the same project only", async () => {
    const { project, token } = await tokenProject();
    const { run } = await tallyRun(project.slug);
    const other = await tokenProject();
    const { run: foreign } = await tallyRun(other.project.slug);
    const parentFacet = (tallyRunId: string) => ({
      parent: { ...BASE, run: { runId: tallyRunId.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5") }, job: { namespace: "tally", name: "train" } },
    });
    const olRunId = randomUUID();
    await post(token, runEvent({ runId: olRunId, runFacets: parentFacet(run.id), inputs: [raw()] }));
    await post(token, runEvent({ runId: randomUUID(), job: "elsewhere", runFacets: parentFacet(foreign.id) }));
    const job = await jobNode(project.id, olRunId);
    expect(await db().lineageEdge.findMany({ where: { src: `run:${run.id}` }, select: { dst: true, kind: true } })).toEqual([{ dst: job, kind: "openlineage" }]);
    expect(await db().lineageEdge.count({ where: { src: `run:${foreign.id}` } })).toBe(0);
    expect((await db().lineageJobRun.findFirstOrThrow({ where: { externalId: olRunId } })).parentExternalId).toBe(
      parentFacet(run.id).parent.run.runId,
    );
  });
  it("puts the job and the data it read upstream of the run it started, and a job reading its own output ends the walk", async () => {
    const { project, token } = await tokenProject();
    const olRunId = randomUUID();
    const ledger = { namespace: "postgres://db:5432", name: "ledger", facets: version("1041") };
    await post(token, runEvent({ runId: olRunId, inputs: [raw(version("v7")), ledger], outputs: [trainingSet(version("ts-1")), ledger] }));
    const { access, run } = await tallyRun(project.slug, [{ key: "openlineage.run_id", value: olRunId }]);
    const graph = await lineageGraph(access, { node: `run:${run.id}`, direction: "upstream", depth: 10 });
    const job = (await jobNode(project.id, olRunId)).slice("job:".length);
    expect(graph.nodes.map((node) => [node.id, node.depth])).toEqual(
      expect.arrayContaining([
        [`job:${job}`, 1],
        ["dataset:raw/transactions@v7", 2],
        ["dataset:ledger@1041", 2],
      ]),
    );
    expect(graph.nodes.find((node) => node.kind === "job")).toMatchObject({ label: "prepare.build_training_set", detail: "airflow · START" });
  });
});

describe("OpenLineage intake permissions and tenant isolation", () => {
  const event = () => runEvent({ runId: randomUUID(), inputs: [raw()], outputs: [trainingSet()] });
  const empty = { events: [], jobs: [], jobRuns: [], versions: [], edges: [] };

  it("stores into the token's own project on the bare URL, and into the named project on its URL", async () => {
    const a = await tokenProject();
    expect((await post(a.token, event())).status).toBe(201);
    expect((await post(a.token, event(), { slug: a.project.slug })).status).toBe(201);
    expect((await stored(a.project.id)).events).toHaveLength(2);
  });

  it("refuses another project's token on a project's URL (404) and stores nothing in either", async () => {
    const [a, b] = await Promise.all([tokenProject(), tokenProject()]);
    const refused = await answer(await post(b.token, event(), { slug: a.project.slug }));
    expect(refused).toEqual({ status: 404, body: { error: { code: "NOT_FOUND", message: `Project "${a.project.slug}" not found` } } });
    expect(await stored(a.project.id)).toEqual(empty);
    expect(await stored(b.project.id)).toEqual(empty);
  });

  it("refuses a read-only token (403) and a missing token (401), storing nothing", async () => {
    const reader = await createProjectWithToken("MEMBER", ["read"]);
    expect((await post(reader.plaintext, event(), { slug: reader.project.slug })).status).toBe(403);
    expect((await post(reader.plaintext, event())).status).toBe(403);
    const anonymous = await postLineage(new Request("http://t/api/v1/lineage", { method: "POST", body: JSON.stringify(event()) }));
    expect(anonymous.status).toBe(401);
    expect(await stored(reader.project.id)).toEqual(empty);
  });

  it("lets members record events and refuses viewers, recording who first logged a version", async () => {
    const { project: target } = await tokenProject();
    const [member, viewer] = await Promise.all([addTestMember(target.id, "MEMBER"), addTestMember(target.id, "VIEWER")]);
    await expect(recordOpenLineageEvent(await resolveProjectAccess(viewer, target.slug), valid(event()))).rejects.toThrow(/runs:write/);
    expect(await stored(target.id)).toEqual(empty);
    const memberEvent = runEvent({ runId: randomUUID(), inputs: [{ namespace: "s3://lake", name: `by-member-${uniqueSuffix()}` }] });
    expect(await recordOpenLineageEvent(await resolveProjectAccess(member, target.slug), valid(memberEvent))).toMatchObject({ stored: true });
    expect((await stored(target.id)).versions.map((row) => row.createdBy)).toEqual([member.userId]);
  });
});
