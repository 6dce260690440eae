import { createHash } from "node:crypto";
import { transaction, type Tx } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { parseDvcLock } from "./parse-lock";
import { declaringStage, parseDvcYaml } from "./parse-dvc-yaml";
import type { DvcFile, DvcImportInput, DvcImportResult, DvcLockStage, DvcYamlStage } from "./types";

/** A dataset version this import names: a distinct (path, md5) across the lock's deps and outs. */
interface VersionKey {
  name: string;
  digest: string;
}

const versionKey = (file: DvcFile) => `${file.path}\u0000${file.md5}`;

/**
 * Rows go in sorted by their key (code units, as the OpenLineage intake sorts its own), so concurrent
 * imports that share versions, jobs or edges wait for each other in the same order, never deadlock.
 */
function sortedBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Imports a dvc.lock into the project's lineage (docs/dvc.md): every dep and out becomes a dataset
 * version (name = its path, digest = its md5), every stage a job with one job run per distinct lock
 * entry, linked dataset → job run (input) and job run → dataset (output). All in one transaction;
 * importing the same lock again changes nothing, and a bad lock is refused before anything is written.
 */
export async function importDvcLock(access: ProjectAccess, input: DvcImportInput): Promise<DvcImportResult> {
  assertScope(access, "runs:write");
  const stages = parseDvcLock(input.lock);
  const declared = input.dvcYaml === undefined ? new Map<string, DvcYamlStage>() : parseDvcYaml(input.dvcYaml);
  const namespace = input.repo?.url ? `dvc:${input.repo.url}` : "dvc";
  const createdBy = access.actor.type === "USER" ? access.actor.userId : null;
  const projectId = access.project.id;

  const versions = new Map<string, VersionKey>();
  for (const stage of stages) {
    for (const file of [...stage.deps, ...stage.outs]) versions.set(versionKey(file), { name: file.path, digest: file.md5 });
  }
  const jobs = stages.map((stage) => ({ stage, ...jobFacets(stage, declaringStage(declared, stage.name), input.repo) }));

  return transaction(async (tx) => {
    const versionIds = await storeVersions(tx, projectId, [...versions.values()], source(input.repo), createdBy);
    const jobIds = await storeJobs(tx, projectId, namespace, jobs.map(({ stage, job }) => ({ name: stage.name, facets: job })));
    const runs = await storeJobRuns(
      tx,
      projectId,
      jobs.map(({ stage, run }) => ({ jobId: jobIds.get(stage.name)!, externalId: externalId(namespace, stage), facets: run })),
    );
    const edges: { src: string; dst: string; kind: "input" | "output" }[] = [];
    stages.forEach((stage, index) => {
      const job = `job:${runs[index]!.id}`;
      for (const dep of stage.deps) edges.push({ src: `dataset:${versionIds.get(versionKey(dep))!.id}`, dst: job, kind: "input" });
      for (const out of stage.outs) edges.push({ src: job, dst: `dataset:${versionIds.get(versionKey(out))!.id}`, kind: "output" });
    });
    const edgesCreated = await storeEdges(tx, projectId, edges);
    const datasetVersions = [...versions.entries()].map(([key, version]) => ({ ...version, created: versionIds.get(key)!.created }));
    return {
      namespace,
      stages: stages.map((stage, index) => ({
        name: stage.name,
        jobRunId: runs[index]!.id,
        created: runs[index]!.created,
        inputs: stage.deps.map((dep) => dep.path),
        outputs: stage.outs.map((out) => out.path),
      })),
      datasetVersions,
      jobRunsCreated: runs.filter((run) => run.created).length,
      datasetVersionsCreated: datasetVersions.filter((version) => version.created).length,
      datasetVersionsKnown: datasetVersions.filter((version) => !version.created).length,
      edgesCreated,
    };
  });
}

/** The dataset source the datasets pages show (`uri`), with the repository and commit when given. */
function source(repo: DvcImportInput["repo"]) {
  return (path: string) =>
    JSON.stringify({ uri: path, path, ...(repo?.url ? { repo: repo.url } : {}), ...(repo?.commit ? { commit: repo.commit } : {}) });
}

/** The job's facets (the latest import's) and this execution's, which also name where it was imported from. */
function jobFacets(stage: DvcLockStage, declared: DvcYamlStage | undefined, repo: DvcImportInput["repo"]) {
  const job = {
    cmd: stage.cmd ?? declared?.cmd ?? null,
    params: stage.params,
    ...(declared?.desc ? { desc: declared.desc } : {}),
  };
  return { job, run: { ...job, ...(repo?.url ? { repo: repo.url } : {}), ...(repo?.commit ? { commit: repo.commit } : {}) } };
}

/**
 * "dvc:" + the SHA-256 of the stage's canonical lock entry, with the namespace and stage name so that
 * two stages (or two repositories) with identical entries stay apart. A changed dep, out, param or
 * command is a new entry, so a new job run; the same lock imported again finds the same one.
 */
function externalId(namespace: string, stage: DvcLockStage): string {
  return `dvc:${createHash("sha256").update(`${namespace}\n${stage.name}\n${stage.canonical}`).digest("hex")}`;
}

async function storeVersions(
  tx: Tx,
  projectId: string,
  versions: VersionKey[],
  sourceOf: (path: string) => string,
  createdBy: string | null,
): Promise<Map<string, { id: string; created: boolean }>> {
  const sorted = sortedBy(versions, (version) => `${version.name}\u0000${version.digest}`);
  const names = sorted.map((version) => version.name);
  const digests = sorted.map((version) => version.digest);
  const sources = names.map(sourceOf);
  const created = await tx.$queryRaw<{ name: string; digest: string }[]>`
    INSERT INTO "DatasetVersion" ("id", "projectId", "name", "digest", "sourceType", "source", "origin", "createdBy")
    SELECT gen_random_uuid()::text, ${projectId}, v."name", v."digest", 'dvc', v."source", 'dvc', ${createdBy}::text
    FROM unnest(${names}::text[], ${digests}::text[], ${sources}::text[]) WITH ORDINALITY AS v("name", "digest", "source", "position")
    ORDER BY v."position"
    ON CONFLICT ("projectId", "name", "digest") DO NOTHING
    RETURNING "name", "digest"`;
  const fresh = new Set(created.map((row) => `${row.name}\u0000${row.digest}`));
  const rows = await tx.$queryRaw<{ id: string; name: string; digest: string }[]>`
    SELECT d."id", d."name", d."digest" FROM "DatasetVersion" d
    JOIN unnest(${names}::text[], ${digests}::text[]) AS v("name", "digest") ON v."name" = d."name" AND v."digest" = d."digest"
    WHERE d."projectId" = ${projectId}`;
  return new Map(rows.map((row) => {
    const key = `${row.name}\u0000${row.digest}`;
    return [key, { id: row.id, created: fresh.has(key) }];
  }));
}

/** Upserts the stages' jobs; a job's facets change only when this import's differ (so a re-import writes nothing). */
async function storeJobs(tx: Tx, projectId: string, namespace: string, jobs: { name: string; facets: object }[]): Promise<Map<string, string>> {
  const sorted = sortedBy(jobs, (job) => job.name);
  const names = sorted.map((job) => job.name);
  const facets = sorted.map((job) => JSON.stringify(job.facets));
  await tx.$executeRaw`
    INSERT INTO "LineageJob" ("id", "projectId", "namespace", "name", "origin", "facets")
    SELECT gen_random_uuid()::text, ${projectId}, ${namespace}, j."name", 'dvc', j."facets"::jsonb
    FROM unnest(${names}::text[], ${facets}::text[]) WITH ORDINALITY AS j("name", "facets", "position")
    ORDER BY j."position"
    ON CONFLICT ("projectId", "namespace", "name") DO UPDATE SET "facets" = EXCLUDED."facets", "updatedAt" = now()
    WHERE "LineageJob"."facets" IS DISTINCT FROM EXCLUDED."facets"`;
  const rows = await tx.$queryRaw<{ id: string; name: string }[]>`
    SELECT "id", "name" FROM "LineageJob"
    WHERE "projectId" = ${projectId} AND "namespace" = ${namespace} AND "name" = ANY(${names}::text[])`;
  return new Map(rows.map((row) => [row.name, row.id]));
}

/** The job run of each stage (in order), made when no import of the same lock entry made it before. */
async function storeJobRuns(
  tx: Tx,
  projectId: string,
  runs: { jobId: string; externalId: string; facets: object }[],
): Promise<{ id: string; created: boolean }[]> {
  const sorted = sortedBy(runs, (run) => run.externalId);
  const externalIds = sorted.map((run) => run.externalId);
  const created = await tx.$queryRaw<{ externalId: string }[]>`
    INSERT INTO "LineageJobRun" ("id", "projectId", "jobId", "externalId", "state", "facets")
    SELECT gen_random_uuid()::text, ${projectId}, r."jobId", r."externalId", 'DVC', r."facets"::jsonb
    FROM unnest(${sorted.map((run) => run.jobId)}::text[], ${externalIds}::text[], ${sorted.map((run) => JSON.stringify(run.facets))}::text[])
      WITH ORDINALITY AS r("jobId", "externalId", "facets", "position")
    ORDER BY r."position"
    ON CONFLICT ("projectId", "externalId") DO NOTHING
    RETURNING "externalId"`;
  const fresh = new Set(created.map((row) => row.externalId));
  const rows = await tx.$queryRaw<{ id: string; externalId: string }[]>`
    SELECT "id", "externalId" FROM "LineageJobRun" WHERE "projectId" = ${projectId} AND "externalId" = ANY(${externalIds}::text[])`;
  const ids = new Map(rows.map((row) => [row.externalId, row.id]));
  return runs.map((run) => ({ id: ids.get(run.externalId)!, created: fresh.has(run.externalId) }));
}

/** Links the graph; edges that exist already are left as they are. Returns how many were new. */
async function storeEdges(tx: Tx, projectId: string, edges: { src: string; dst: string; kind: string }[]): Promise<number> {
  if (edges.length === 0) return 0;
  const sorted = sortedBy(edges, (edge) => `${edge.src}\u0000${edge.dst}`);
  return tx.$executeRaw`
    INSERT INTO "LineageEdge" ("projectId", "src", "dst", "kind")
    SELECT ${projectId}, e."src", e."dst", e."kind"
    FROM unnest(${sorted.map((edge) => edge.src)}::text[], ${sorted.map((edge) => edge.dst)}::text[], ${sorted.map((edge) => edge.kind)}::text[])
      WITH ORDINALITY AS e("src", "dst", "kind", "position")
    ORDER BY e."position"
    ON CONFLICT ("src", "dst") DO NOTHING`;
}
