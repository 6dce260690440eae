import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { db } from "@/server/db/client";
import { compileRunSearch, nextPageToken, type RunSearchInput } from "@/server/services/tracking-search";
import { resolveProjectAccess, type ProjectAccess } from "@/server/services/access";
import { searchRuns } from "@/server/services/runs";
import { createTestProject } from "../factories";

/**
 * runs/search against real PostgreSQL. The seeded runs of experiment `main` each carry a few
 * hand-picked features, so every expected list below can be checked by reading the SEED table.
 * Other experiments, a deleted pair and another project hold runs that match almost everything, to
 * prove that scoping never leaks them in.
 */
const T = 1_700_000_000_000;
type ExperimentKey = "main" | "sibling" | "filler" | "foreign";

interface SeedRun {
  name: string;
  experiment: ExperimentKey;
  deleted?: boolean;
  user?: string;
  status?: string;
  /** Milliseconds after T. */
  start: number;
  end?: number;
  artifactUri?: string;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  datasets?: { name: string; digest: string; context?: string }[];
}

const INJECTION = `'; DROP TABLE "Run"; --`;
const EVERYTHING = {
  user: "alice",
  status: "FINISHED",
  metrics: { acc: 0.99, loss: 0.01 },
  params: { lr: "0.01", optimizer: "adam", x: INJECTION },
  tags: { team: "vision" },
  datasets: [{ name: "train-set", digest: "d1", context: "training" }],
};

// Run ids follow this array's order, so r07's id sorts before r06's although r06 is named first:
// the two share a start time, which makes run_id the visible tie-breaker.
const SEED: SeedRun[] = [
  {
    name: "r01", experiment: "main", user: "alice", status: "FINISHED", start: 1000, end: 5000,
    artifactUri: "s3://bucket/special/r01",
    metrics: { acc: 0.91, loss: 0.2 }, params: { lr: "0.01", optimizer: "adam" }, tags: { team: "vision" },
    datasets: [{ name: "train-set", digest: "d1", context: "training" }],
  },
  {
    name: "r02", experiment: "main", user: "alice", status: "FINISHED", start: 2000, end: 6000,
    metrics: { acc: 0.85, loss: 0.3 }, params: { lr: "0.1", optimizer: "Adam" }, tags: { team: "Vision" },
    datasets: [{ name: "train-set", digest: "d1", context: "training" }, { name: "eval-set", digest: "d2", context: "eval" }],
  },
  {
    name: "r03", experiment: "main", user: "bob", status: "FAILED", start: 3000, end: 4000,
    metrics: { acc: Number.NaN, loss: 1.5 }, params: { lr: "0.001", optimizer: "sgd" }, tags: { team: "nlp" },
  },
  { name: "r04", experiment: "main", user: "bob", status: "RUNNING", start: 4000, metrics: { acc: 0.5 }, params: { lr: "0.01" } },
  {
    name: "r05", experiment: "main", user: "carol", status: "KILLED", start: 5000, end: 9000,
    metrics: { acc: -0.0015, loss: Infinity }, params: { optimizer: "adamw" }, tags: { team: "nlp" },
  },
  {
    name: "r07", experiment: "main", user: "dave", status: "FINISHED", start: 6000, end: 8000,
    metrics: { acc: 0.7 }, params: { lr: "0.01", optimizer: "adam", "batch.size": "32" },
  },
  {
    name: "r06", experiment: "main", user: "carol", status: "FINISHED", start: 6000, end: 7000,
    metrics: { acc: 0.91, loss: 0.25 }, params: { lr: "1e-4" }, tags: { "git-branch": "main" },
    datasets: [{ name: "raw-set", digest: "d3" }],
  },
  {
    name: "r08", experiment: "main", user: "dave", status: "SCHEDULED", start: 8000,
    datasets: [{ name: "eval-set", digest: "d2", context: "eval" }],
  },
  {
    name: "r09", experiment: "main", user: "eve", status: "FINISHED", start: 9000, end: 9500,
    metrics: { acc: 0.3, loss: 0.9 }, params: { x: INJECTION },
  },
  {
    name: "r10", experiment: "main", user: "eve", status: "FAILED", start: 10000, end: 10500,
    metrics: { acc: 1, loss: 0 }, params: { lr: "0.1", optimizer: "a_am" },
  },
  { name: "d01", experiment: "main", deleted: true, start: 11000, ...EVERYTHING },
  { name: "d02", experiment: "main", deleted: true, start: 11500, ...EVERYTHING },
  { name: "o01", experiment: "sibling", start: 12000, ...EVERYTHING },
  { name: "x01", experiment: "foreign", start: 13000, ...EVERYTHING },
  // Fillers for paging: scores repeat and start times come in pairs, so only the tie-breakers
  // make the order total.
  ...Array.from({ length: 14 }, (_, index): SeedRun => ({
    name: `f${String(index + 1).padStart(2, "0")}`,
    experiment: "filler",
    start: 20000 + Math.floor(index / 2) * 1000,
    metrics: { score: index % 3 },
  })),
];

const ACTIVE_MAIN = ["r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10"];

let projectId = "";
let ownerAccess: () => Promise<ProjectAccess>;
const experimentIds = {} as Record<ExperimentKey, string>;
const ids = new Map<string, string>();
const names = new Map<string, string>();

beforeAll(async () => {
  const { project, owner } = await createTestProject();
  const { project: foreignProject } = await createTestProject();
  projectId = project.id;
  ownerAccess = () => resolveProjectAccess(owner, project.slug);
  const keys: ExperimentKey[] = ["main", "sibling", "filler", "foreign"];
  for (const [number, key] of keys.entries()) {
    const experiment = await db().experiment.create({
      data: {
        projectId: key === "foreign" ? foreignProject.id : project.id,
        number,
        name: `search-${key}`,
        artifactLocation: `mlflow-artifacts:/${number}`,
        creationTime: BigInt(T),
        lastUpdateTime: BigInt(T),
      },
    });
    experimentIds[key] = experiment.id;
  }
  const prefix = randomBytes(12).toString("hex");
  for (const [index, run] of SEED.entries()) {
    const id = prefix + index.toString(16).padStart(8, "0");
    ids.set(run.name, id);
    names.set(id, run.name);
    await seedRun(id, run, run.experiment === "foreign" ? foreignProject.id : project.id);
  }
});

async function seedRun(id: string, run: SeedRun, runProjectId: string) {
  const experimentId = experimentIds[run.experiment];
  const { seq } = await db().run.create({
    data: {
      id,
      projectId: runProjectId,
      experimentId,
      name: run.name,
      userId: run.user ?? "filler",
      status: run.status ?? "FINISHED",
      startTime: BigInt(T + run.start),
      endTime: run.end === undefined ? null : BigInt(T + run.end),
      lifecycleStage: run.deleted ? "deleted" : "active",
      artifactUri: run.artifactUri ?? `mlflow-artifacts:/1/${id}/artifacts`,
    },
    select: { seq: true },
  });
  const keyed = (values: Record<string, string> | undefined) => Object.entries(values ?? {}).map(([key, value]) => ({ runId: id, runSeq: seq, key, value }));
  await db().param.createMany({ data: keyed(run.params) });
  await db().runTag.createMany({ data: keyed(run.tags) });
  // Raw SQL because NaN and Infinity must reach the double column as such.
  for (const [key, value] of Object.entries(run.metrics ?? {})) {
    await db().$executeRawUnsafe(
      `INSERT INTO "LatestMetric" ("runSeq", "key", "value", "timestamp", "step") VALUES ($1::bigint, $2::text, $3::text::double precision, 0, 0)`,
      seq.toString(),
      key,
      String(value),
    );
  }
  for (const dataset of run.datasets ?? []) {
    const stored = await db().dataset.upsert({
      where: { experimentId_name_digest: { experimentId, name: dataset.name, digest: dataset.digest } },
      update: {},
      create: { experimentId, name: dataset.name, digest: dataset.digest, sourceType: "local", source: "{}" },
    });
    const tags = dataset.context ? [{ key: "mlflow.data.context", value: dataset.context }] : [];
    await db().runInput.create({ data: { runId: id, datasetId: stored.id, tags } });
  }
}

async function search(input: Partial<RunSearchInput> = {}) {
  const compiled = compileRunSearch({
    projectId,
    experimentIds: [experimentIds.main],
    viewType: "ACTIVE_ONLY",
    maxResults: 1000,
    ...input,
  });
  const rows = await db().$queryRawUnsafe<{ id: string }[]>(compiled.sql, ...compiled.params);
  return { compiled, names: rows.map((row) => names.get(row.id) ?? `unknown:${row.id}`) };
}

/** The names of the runs matching `filter`, sorted by name, so each expectation reads as a set. */
async function matching(filter: string, input: Partial<RunSearchInput> = {}): Promise<string[]> {
  return (await search({ filter, ...input })).names.sort();
}

function errorCodeOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
  return undefined;
}

async function ordered(orderBy: string[], input: Partial<RunSearchInput> = {}): Promise<string[]> {
  return (await search({ orderBy, ...input })).names;
}

describe("runs/search filters on metrics", () => {
  it.each([
    ["metrics.acc > 0.8", ["r01", "r02", "r03", "r06", "r10"]],
    ["metrics.acc >= 0.91", ["r01", "r03", "r06", "r10"]],
    ["metrics.acc < 0.5", ["r05", "r09"]],
    ["metrics.acc <= 0.5", ["r04", "r05", "r09"]],
    ["metrics.acc = 0.91", ["r01", "r06"]],
    ["metrics.acc != 0.91", ["r02", "r03", "r04", "r05", "r07", "r09", "r10"]],
    ["metric.loss > 1", ["r03", "r05"]],
    ["metrics.acc < -1e-3", ["r05"]],
    ["metrics.acc > -0.01", ["r01", "r02", "r03", "r04", "r05", "r06", "r07", "r09", "r10"]],
    ["metrics.loss = 0", ["r10"]],
    ["metrics.missing > 0", []],
  ])("%s", async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it("compares NaN with PostgreSQL double semantics: above every number, equal to itself", async () => {
    // r03's acc is NaN: it passes `> 0.8` and `!= 0.91` (above) but never `<`.
    expect(await matching("metrics.acc > 1e300")).toEqual(["r03"]);
    expect(await matching("metrics.acc < 1e300")).not.toContain("r03");
  });
});

describe("runs/search filters on params and tags", () => {
  it.each([
    ["params.lr = '0.01'", ["r01", "r04", "r07"]],
    ["params.lr != '0.01'", ["r02", "r03", "r06", "r10"]],
    ["params.lr LIKE '0.0%'", ["r01", "r03", "r04", "r07"]],
    ["param.optimizer LIKE 'adam%'", ["r01", "r05", "r07"]],
    ["parameters.optimizer ILIKE 'adam%'", ["r01", "r02", "r05", "r07"]],
    ["params.optimizer LIKE 'a_am'", ["r01", "r07", "r10"]],
    ["params.optimizer IS NULL", ["r04", "r06", "r08", "r09"]],
    ["params.optimizer IS NOT NULL", ["r01", "r02", "r03", "r05", "r07", "r10"]],
    ["params.batch.size = '32'", ["r07"]],
    ['params."batch.size" = "32"', ["r07"]],
    ["tags.team = 'vision'", ["r01"]],
    ["tags.team LIKE 'vis%'", ["r01"]],
    ["tags.team ILIKE 'VISION'", ["r01", "r02"]],
    ["tags.team != 'nlp'", ["r01", "r02"]],
    ["tag.`git-branch` = 'main'", ["r06"]],
    ["tags.team IS NULL", ["r04", "r06", "r07", "r08", "r09", "r10"]],
    ["tags.team IS NOT NULL", ["r01", "r02", "r03", "r05"]],
  ])("%s", async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });
});

describe("runs/search filters on attributes", () => {
  it.each([
    ["attributes.status = 'FINISHED'", ["r01", "r02", "r06", "r07", "r09"]],
    ["status != 'FINISHED'", ["r03", "r04", "r05", "r08", "r10"]],
    ["run_name LIKE 'r0%'", ["r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09"]],
    ["run name = 'r10'", ["r10"]],
    ["attr.\"run name\" ILIKE 'R1%'", ["r10"]],
    ["run.user_id = 'alice'", ["r01", "r02"]],
    ["artifact_uri LIKE 's3://%'", ["r01"]],
    [`start_time >= ${T + 6000}`, ["r06", "r07", "r08", "r09", "r10"]],
    [`created < ${T + 3000}`, ["r01", "r02"]],
    [`end_time <= ${T + 5000}`, ["r01", "r03"]],
    ["end_time > 0", ["r01", "r02", "r03", "r05", "r06", "r07", "r09", "r10"]],
  ])("%s", async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it("matches run ids IN and NOT IN a list, never outside the searched experiments", async () => {
    const list = (...runs: string[]) => runs.map((name) => `'${ids.get(name)}'`).join(", ");
    expect(await matching(`run_id IN (${list("r03", "r05", "o01", "x01")})`)).toEqual(["r03", "r05"]);
    expect(await matching(`attributes.run_id NOT IN (${list("r01", "r02")})`)).toEqual(ACTIVE_MAIN.slice(2));
    expect(await matching(`run_id = '${ids.get("r04")}'`)).toEqual(["r04"]);
  });
});

describe("runs/search filters on datasets", () => {
  it.each([
    ["dataset.name = 'train-set'", ["r01", "r02"]],
    ["datasets.digest IN ('d2', 'd3')", ["r02", "r06", "r08"]],
    ["dataset.name NOT IN ('train-set')", ["r02", "r06", "r08"]],
    ["dataset.name LIKE '%-set'", ["r01", "r02", "r06", "r08"]],
    ["dataset.context = 'eval'", ["r02", "r08"]],
    ["dataset.context != 'training'", ["r02", "r08"]],
    ["dataset.context ILIKE 'TRAIN%'", ["r01", "r02"]],
    ["dataset.context IN ('eval', 'training')", ["r01", "r02", "r08"]],
  ])("%s", async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });
});

describe("runs/search boolean structure", () => {
  it.each([
    ["params.optimizer = 'sgd' OR tags.team = 'vision'", ["r01", "r03"]],
    ["metrics.acc > 0.8 AND params.lr = '0.01' OR status = 'SCHEDULED'", ["r01", "r08"]],
    ["status = 'SCHEDULED' OR metrics.acc > 0.8 AND params.lr = '0.01'", ["r01", "r08"]],
    ["metrics.acc > 0.8 AND (params.lr = '0.01' OR status = 'SCHEDULED')", ["r01"]],
    ["(user_id = 'alice' or user_id = 'bob') and metrics.acc < 0.9", ["r02", "r04"]],
    ["params.lr = '0.01' AND params.optimizer = 'adam' AND tags.team IS NULL", ["r07"]],
    ["((dataset.context = 'eval'))", ["r02", "r08"]],
    // Conditions on one table under OR share a lookup of that table; each must still count alone.
    ["params.optimizer = 'sgd' OR params.lr = '1e-4'", ["r03", "r06"]],
    ["params.optimizer = 'sgd' OR params.lr = '1e-4' OR params.lr IS NULL", ["r03", "r05", "r06", "r08", "r09"]],
    ["metrics.acc > 0.95 OR metrics.loss > 1 OR params.optimizer LIKE 'a%am' OR tags.team = 'nlp'", ["r01", "r03", "r05", "r07", "r10"]],
    ["(params.lr = '0.1' OR params.optimizer = 'sgd') AND (tags.team = 'nlp' OR tags.team = 'Vision')", ["r02", "r03"]],
  ])("%s", async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });
});

describe("runs/search treats hostile values as plain values", () => {
  it("finds the run whose param is a SQL-injection string, and nothing is dropped", async () => {
    expect(await matching(`params.x = '\\'; DROP TABLE "Run"; --'`)).toEqual(["r09"]);
    expect(await matching(`params.x = "'; DROP TABLE ""Run""; --"`)).toEqual(["r09"]);
    expect(await matching("tags.team = 'vision'' OR ''1''=''1'")).toEqual([]);
    expect(await matching(`tags."team' OR 1=1 --" = 'x'`)).toEqual([]);
    expect(await db().run.count({ where: { projectId } })).toBe(SEED.filter((run) => run.experiment !== "foreign").length);
  });
});

describe("runs/search ordering", () => {
  it("defaults to start_time DESC, then run_id ASC", async () => {
    expect(await ordered([])).toEqual(["r10", "r09", "r08", "r07", "r06", "r05", "r04", "r03", "r02", "r01"]);
  });

  it("sorts metrics with NaN and then missing values last, in both directions", async () => {
    expect(await ordered(["metrics.acc DESC"])).toEqual(["r10", "r06", "r01", "r02", "r07", "r04", "r09", "r05", "r03", "r08"]);
    expect(await ordered(["metrics.acc ASC"])).toEqual(["r05", "r09", "r04", "r07", "r02", "r06", "r01", "r10", "r03", "r08"]);
    expect(await ordered(["metrics.acc"])).toEqual(await ordered(["metrics.acc asc"]));
  });

  it("sorts params as text with missing ones last", async () => {
    expect(await ordered(["params.lr ASC"])).toEqual(["r03", "r07", "r04", "r01", "r10", "r02", "r06", "r09", "r08", "r05"]);
    expect(await ordered(["params.lr DESC"])).toEqual(["r06", "r10", "r02", "r07", "r04", "r01", "r03", "r09", "r08", "r05"]);
  });

  it("sorts attributes, nullable end_time last both ways", async () => {
    expect(await ordered(["attributes.status"])).toEqual(["r10", "r03", "r09", "r07", "r06", "r02", "r01", "r05", "r04", "r08"]);
    expect(await ordered(["end_time"])).toEqual(["r03", "r01", "r02", "r06", "r07", "r05", "r09", "r10", "r08", "r04"]);
    expect(await ordered(["end_time DESC"])).toEqual(["r10", "r09", "r05", "r07", "r06", "r02", "r01", "r03", "r08", "r04"]);
  });

  it("breaks start_time ties by run_id, whichever direction start_time sorts", async () => {
    expect(await ordered(["start_time ASC"])).toEqual(["r01", "r02", "r03", "r04", "r05", "r07", "r06", "r08", "r09", "r10"]);
    expect(await ordered(["created DESC"])).toEqual(await ordered([]));
    expect(await ordered(["run_id"])).toEqual(["r01", "r02", "r03", "r04", "r05", "r07", "r06", "r08", "r09", "r10"]);
  });

  it("applies several keys in order, each with its own join", async () => {
    expect(await ordered(["params.lr ASC", "metrics.acc ASC"])).toEqual(["r03", "r04", "r07", "r01", "r02", "r10", "r06", "r05", "r09", "r08"]);
  });

  it("sorts and filters on the same metric", async () => {
    expect(await ordered(["metrics.acc DESC"], { filter: "metrics.acc > 0.8" })).toEqual(["r10", "r06", "r01", "r02", "r03"]);
  });

  it("refuses a key listed twice", async () => {
    await expect(search({ orderBy: ["metrics.acc", "metrics.acc DESC"] })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(search({ orderBy: ["created", "start_time DESC"] })).rejects.toThrow(/same key/);
  });
});

describe("runs/search scoping", () => {
  // Only the runs outside the active `main` runs have this accuracy.
  const hits = "metrics.acc = 0.99";

  it.each([
    ["ACTIVE_ONLY", ACTIVE_MAIN],
    ["DELETED_ONLY", ["d01", "d02"]],
    ["ALL", ["d01", "d02", ...ACTIVE_MAIN]],
  ] as const)("view type %s", async (viewType, expected) => {
    expect((await search({ viewType })).names.sort()).toEqual(expected);
  });

  it("never returns runs of another experiment or another project", async () => {
    expect(await matching(hits)).toEqual([]);
    expect(await matching(hits, { experimentIds: [experimentIds.main, experimentIds.sibling] })).toEqual(["o01"]);
    // Naming another project's experiment is not enough to reach its runs.
    expect(await matching(hits, { experimentIds: [experimentIds.main, experimentIds.foreign], viewType: "ALL" })).toEqual(["d01", "d02"]);
    expect(await matching(hits, { experimentIds: [] })).toEqual([]);
  });
});

describe("runs/search asked again and again", () => {
  it("answers as the first time once it is prepared (from its third time), whatever the values", async () => {
    const access = await ownerAccess();
    // Eight times prepared is past PostgreSQL's five custom plans, so the generic one is tried too.
    const thresholds = [0.8, 0.6, 0.9, 0, 0.95, 0.7, 0.85, 0.5, 0.8, -1];
    for (const threshold of thresholds) {
      const input = { filter: `metrics.acc > ${threshold} AND params.lr != '0.1'`, orderBy: ["metrics.acc DESC"] };
      const { runs } = await searchRuns(access, { experimentIds: ["0"], viewType: "ACTIVE_ONLY", maxResults: 3, ...input });
      const expected = (await search({ ...input, maxResults: 3 })).names.slice(0, 3);
      expect(expected.length, `acc > ${threshold}`).toBeGreaterThan(0);
      expect(runs.map((run) => run.name), `acc > ${threshold}`).toEqual(expected);
    }
  });
});

describe("runs/search pagination", () => {
  const everything: Partial<RunSearchInput> = { viewType: "ALL" };

  async function walk(input: Partial<RunSearchInput>, maxResults: number): Promise<{ pages: string[][] }> {
    const pages: string[][] = [];
    let pageToken: string | undefined;
    do {
      const { compiled, names: rows } = await search({ ...input, maxResults, pageToken });
      expect(rows.length).toBeLessThanOrEqual(maxResults + 1);
      pages.push(rows.slice(0, maxResults));
      pageToken = nextPageToken(compiled.page, rows.length);
    } while (pageToken);
    return { pages };
  }

  it.each([
    ["default order", {}],
    ["metric with ties", { orderBy: ["metrics.score DESC"] }],
    ["param and tag", { orderBy: ["params.lr", "tags.team DESC"] }],
  ])("visits every run exactly once, in the one-query order (%s)", async (_label, order) => {
    const input = { ...everything, ...order, experimentIds: [experimentIds.main, experimentIds.filler] };
    const whole = (await search(input)).names;
    expect(whole).toHaveLength(26);
    const { pages } = await walk(input, 4);
    expect(pages).toHaveLength(7);
    expect(pages.map((page) => page.length)).toEqual([4, 4, 4, 4, 4, 4, 2]);
    expect(pages.flat()).toEqual(whole);
    expect(new Set(pages.flat()).size).toBe(26);
  });

  // A metric order is read in sections (numbers, NaN, missing values): pages must cross them seamlessly.
  it.each([
    [["metrics.acc DESC"], ["r10", "r06", "r01", "r02", "r07", "r04", "r09", "r05", "r03", "r08"]],
    [["metrics.acc ASC"], ["r05", "r09", "r04", "r07", "r02", "r06", "r01", "r10", "r03", "r08"]],
    [["metrics.acc DESC", "params.lr DESC"], ["r10", "r06", "r01", "r02", "r07", "r04", "r09", "r05", "r03", "r08"]],
    [["metrics.loss ASC", "params.optimizer ASC"], ["r10", "r01", "r06", "r02", "r09", "r03", "r05", "r07", "r08", "r04"]],
    [["metrics.loss DESC", "start_time ASC"], ["r05", "r03", "r09", "r02", "r06", "r01", "r10", "r04", "r07", "r08"]],
  ])("pages through %j across numbers, NaN and missing values", async (orderBy, expected) => {
    expect((await search({ orderBy })).names).toEqual(expected);
    for (const maxResults of [1, 2, 3, 7]) expect((await walk({ orderBy }, maxResults)).pages.flat()).toEqual(expected);
  });

  it("gives no token when the last page is exactly full", async () => {
    const { pages } = await walk({}, 5);
    expect(pages).toEqual([ACTIVE_MAIN.slice(5).reverse(), ACTIVE_MAIN.slice(0, 5).reverse()]);
  });

  it("refuses a token from a different search, and a token it never issued", async () => {
    const first = await search({ maxResults: 2, filter: "metrics.acc > 0" });
    const token = nextPageToken(first.compiled.page, first.names.length);
    expect(token).toBeDefined();
    expect((await search({ maxResults: 2, filter: "metrics.acc > 0", pageToken: token })).names).toHaveLength(3);
    const base = { projectId, experimentIds: [experimentIds.main], viewType: "ACTIVE_ONLY", maxResults: 2 } as const;
    const refusals = [
      () => compileRunSearch({ ...base, filter: "metrics.acc > 1", pageToken: token }),
      () => compileRunSearch({ ...base, filter: "metrics.acc > 0", viewType: "ALL", pageToken: token }),
      () => compileRunSearch({ ...base, filter: "metrics.acc > 0", orderBy: ["metrics.acc"], pageToken: token }),
      () => compileRunSearch({ ...base, filter: "metrics.acc > 0", experimentIds: [experimentIds.filler], pageToken: token }),
      () => compileRunSearch({ ...base, pageToken: "not a token" }),
      () => compileRunSearch({ ...base, pageToken: Buffer.from('{"offset":-4,"shape":"x"}').toString("base64url") }),
      () => compileRunSearch({ ...base, maxResults: 0 }),
      () => compileRunSearch({ ...base, maxResults: 50_001 }),
    ];
    expect(refusals.map(errorCodeOf)).toEqual(refusals.map(() => "BAD_INPUT"));
  });
});
