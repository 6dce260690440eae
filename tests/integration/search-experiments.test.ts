import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import {
  compileExperimentSearch,
  nextPageToken,
  type ExperimentSearchInput,
} from "@/server/services/tracking-search";
import { createTestProject } from "../factories";

/**
 * experiments/search against real PostgreSQL. Names are lower-case so that name order is the same
 * under any database collation. Another project holds a look-alike of every experiment.
 */
const T = 1_700_000_000_000;

interface SeedExperiment {
  name: string;
  number: number;
  /** Milliseconds after T. */
  created: number;
  updated: number;
  deleted?: boolean;
  tags?: Record<string, string>;
}

const SEED: SeedExperiment[] = [
  { name: "default", number: 0, created: 0, updated: 0 },
  { name: "alpha", number: 1, created: 1000, updated: 5000, tags: { team: "vision", owner: "alice" } },
  { name: "beta", number: 2, created: 2000, updated: 3000, tags: { team: "nlp" } },
  { name: "beta-two", number: 3, created: 2000, updated: 9000 },
  { name: "gamma", number: 4, created: 4000, updated: 4000, deleted: true, tags: { team: "vision" } },
  { name: "delta", number: 5, created: 5000, updated: 6000, tags: { "mlflow.note.content": "hello" } },
];
const ACTIVE = ["alpha", "beta", "beta-two", "default", "delta"];

let projectId = "";
const names = new Map<string, string>();

beforeAll(async () => {
  const { project } = await createTestProject();
  const { project: foreign } = await createTestProject();
  projectId = project.id;
  for (const target of [project, foreign]) {
    for (const experiment of SEED) {
      const created = await db().experiment.create({
        data: {
          projectId: target.id,
          number: experiment.number,
          name: experiment.name,
          artifactLocation: `mlflow-artifacts:/${experiment.number}`,
          lifecycleStage: experiment.deleted ? "deleted" : "active",
          creationTime: BigInt(T + experiment.created),
          lastUpdateTime: BigInt(T + experiment.updated),
          tags: { create: Object.entries(experiment.tags ?? {}).map(([key, value]) => ({ key, value })) },
        },
      });
      names.set(created.id, target.id === project.id ? experiment.name : `foreign:${experiment.name}`);
    }
  }
});

async function search(input: Partial<ExperimentSearchInput> = {}) {
  const compiled = compileExperimentSearch({ projectId, viewType: "ACTIVE_ONLY", maxResults: 1000, ...input });
  const rows = await db().$queryRawUnsafe<{ id: string }[]>(compiled.sql, ...compiled.params);
  return { compiled, names: rows.map((row) => names.get(row.id) ?? `unknown:${row.id}`) };
}

async function matching(filter: string): Promise<string[]> {
  return (await search({ filter })).names.sort();
}

describe("experiments/search filters", () => {
  it.each([
    ["name = 'alpha'", ["alpha"]],
    ["attributes.name = 'alpha'", ["alpha"]],
    ["name != 'alpha'", ["beta", "beta-two", "default", "delta"]],
    ["name LIKE 'beta%'", ["beta", "beta-two"]],
    ["name LIKE 'BETA%'", []],
    ["name ILIKE 'BETA%'", ["beta", "beta-two"]],
    [`creation_time >= ${T + 2000}`, ["beta", "beta-two", "delta"]],
    [`last_update_time < ${T + 4000}`, ["beta", "default"]],
    [`creation_time = ${T + 2000} AND last_update_time > ${T + 5000}`, ["beta-two"]],
    ["tags.team = 'vision'", ["alpha"]],
    ["tags.team != 'vision'", ["beta"]],
    ["tag.team IS NULL", ["beta-two", "default", "delta"]],
    ["tags.team IS NOT NULL", ["alpha", "beta"]],
    ["tags.`mlflow.note.content` LIKE 'hel%'", ["delta"]],
    ["tags.team = 'nlp' OR name = 'delta'", ["beta", "delta"]],
    ["(tags.team = 'nlp' OR tags.owner = 'alice') AND name LIKE '%a'", ["alpha", "beta"]],
    ["name = 'x'' OR ''1''=''1'", []],
  ])("%s", async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it("refuses run-only identifiers and the unfilterable experiment_id", async () => {
    for (const filter of ["metrics.acc > 1", "params.lr = '1'", "dataset.name = 'x'", "experiment_id = 1", "status = 'x'"]) {
      await expect(search({ filter })).rejects.toMatchObject({ code: "BAD_INPUT" });
    }
  });
});

describe("experiments/search order and scope", () => {
  it("defaults to creation_time DESC, then experiment_id ASC", async () => {
    expect((await search()).names).toEqual(["delta", "beta", "beta-two", "alpha", "default"]);
  });

  it.each([
    [["name"], ["alpha", "beta", "beta-two", "default", "delta"]],
    [["name DESC"], ["delta", "default", "beta-two", "beta", "alpha"]],
    [["experiment_id DESC"], ["delta", "beta-two", "beta", "alpha", "default"]],
    [["last_update_time ASC"], ["default", "beta", "alpha", "delta", "beta-two"]],
    // Without experiment_id in the list, MLflow breaks ties by experiment_id DESC.
    [["creation_time"], ["default", "alpha", "beta-two", "beta", "delta"]],
    [["creation_time", "experiment_id"], ["default", "alpha", "beta", "beta-two", "delta"]],
  ])("order_by %j", async (orderBy, expected) => {
    expect((await search({ orderBy })).names).toEqual(expected);
  });

  it("refuses unsortable and repeated keys", async () => {
    for (const orderBy of [["tags.team"], ["metrics.acc"], ["name", "name DESC"], ["name sideways"]]) {
      await expect(search({ orderBy })).rejects.toMatchObject({ code: "BAD_INPUT" });
    }
  });

  it.each([
    ["ACTIVE_ONLY", ACTIVE],
    ["DELETED_ONLY", ["gamma"]],
    ["ALL", [...ACTIVE, "gamma"].sort()],
  ] as const)("view type %s stays inside the project", async (viewType, expected) => {
    expect((await search({ viewType })).names.sort()).toEqual(expected);
  });

  it("pages through every experiment exactly once", async () => {
    const whole = (await search({ viewType: "ALL", orderBy: ["creation_time"] })).names;
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const { compiled, names: rows } = await search({ viewType: "ALL", orderBy: ["creation_time"], maxResults: 4, pageToken });
      seen.push(...rows.slice(0, 4));
      pageToken = nextPageToken(compiled.page, rows.length);
    } while (pageToken);
    expect(seen).toEqual(whole);
    expect(seen).toHaveLength(SEED.length);
  });

  it("refuses a page token from another search", async () => {
    const first = await search({ maxResults: 2 });
    const pageToken = nextPageToken(first.compiled.page, first.names.length);
    await expect(search({ maxResults: 2, pageToken, filter: "name LIKE '%'" })).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect((await search({ maxResults: 2, pageToken })).names).toEqual(["beta-two", "alpha", "default"]);
  });
});
