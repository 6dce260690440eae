import type pg from "pg";

export interface RegistrySeed {
  /** Registered models `model-00000`, `model-00001`, … */
  models: number;
  versionsPerModel: number;
  /** `team` (`team-<m % 20>`) and `tag_01`…: at least the team tag. */
  tagsPerModel: number;
  /** The alias every model has, pointing at its Production version. */
  alias: string;
  /** The project's token that "registered" everything (its label is `createdBy`, as the services write it). */
  token: { id: string; name: string; projectId: string };
  /** The experiment (its row id and MLflow number) that holds the runs the versions come from. */
  experiment: { id: string; number: string };
}

/** Models are written this many at a time: one INSERT per table and batch. */
const BATCH = 200;

export const seededModelName = (index: number) => `model-${String(index).padStart(5, "0")}`;

/** The version each model's alias points at: its Production version. */
export const aliasedVersion = (versionsPerModel: number) => Math.max(1, versionsPerModel - 2);

/**
 * Bulk-inserts a model registry straight in SQL (filling the database is not what the benchmarks
 * measure), with the rows createRegisteredModel, createModelVersion, setModelAlias and
 * transitionModelVersionStage leave: cuid-like ids; `createdBy` the token's label; `lastVersion` the
 * highest number given out; each version registered from a run of its own (`runs:/<run>/model`, so
 * runId is set and storageLocation is the run's artifact root + `/model`), READY, in stage Staging
 * (the newest), Production (the aliased one), Archived (the oldest fifth) or None; a model's
 * `updatedAt` is its latest change (the alias). The history (RegistryEvent, audit log) is not
 * written: no benchmarked call reads it. Model m's version v is registered at
 * 1700000000 s + (m · versions + v) minutes.
 */
export async function seedRegistry(client: pg.Client, seed: RegistrySeed): Promise<void> {
  const { token, experiment, versionsPerModel } = seed;
  const createdBy = `token ${token.name} (${token.id})`;
  const modelId = (m: string) => `'cm' || substr(md5('model-' || ${m}), 1, 23)`;
  const versionId = (m: string, v: string) => `'cv' || substr(md5('version-' || ${m} || '-' || ${v}), 1, 23)`;
  const runId = `md5('registry-run-' || m || '-' || v)`;
  const minute = (offset: string) => `(1700000000 + (m * $3 + ${offset}) * 60)`;
  const stage = `CASE WHEN v = $3 THEN 'Staging' WHEN v = ${aliasedVersion(versionsPerModel)} THEN 'Production'
                      WHEN v <= $3 / 5 THEN 'Archived' ELSE 'None' END`;
  for (let first = 0; first < seed.models; first += BATCH) {
    const batch = [first, Math.min(seed.models, first + BATCH) - 1, versionsPerModel] as const;
    await client.query(
      `INSERT INTO "Run" (id, "projectId", "experimentId", name, status, "startTime", "endTime", "artifactUri")
       SELECT ${runId}, $4, $5, 'train-' || m || '-' || v, 'FINISHED',
              ${minute("v")}::bigint * 1000 - 600000, ${minute("v")}::bigint * 1000 - 1000,
              'mlflow-artifacts:/' || $6 || '/' || ${runId} || '/artifacts'
       FROM generate_series($1::int, $2::int) m, generate_series(1, $3::int) v
       ORDER BY m, v`,
      [...batch, token.projectId, experiment.id, experiment.number],
    );
    await client.query(
      `INSERT INTO "RegisteredModel" (id, "projectId", name, description, "lastVersion", "createdBy", "createdAt", "updatedAt")
       SELECT ${modelId("m")}, $4, 'model-' || lpad(m::text, 5, '0'), CASE WHEN m % 3 = 0 THEN 'Model number ' || m END,
              $3, $5, to_timestamp(${minute("0")}), to_timestamp(${minute("$3")} + 30)
       FROM generate_series($1::int, $2::int) m
       ORDER BY m`,
      [...batch, token.projectId, createdBy],
    );
    await client.query(
      `INSERT INTO "RegisteredModelTag" ("modelId", key, value)
       SELECT ${modelId("m")}, CASE WHEN k = 0 THEN 'team' ELSE 'tag_' || lpad(k::text, 2, '0') END,
              CASE WHEN k = 0 THEN 'team-' || (m % 20) ELSE 'value-' || ((m * 7 + k * 13) % 10) END
       FROM generate_series($1::int, $2::int) m, generate_series(0, $3::int - 1) k
       ORDER BY m, k`,
      [batch[0], batch[1], Math.max(1, seed.tagsPerModel)],
    );
    await client.query(
      `INSERT INTO "ModelVersion" (id, "modelId", version, source, "storageLocation", "runId", "loggedModelId",
                                   status, "statusMessage", stage, description, "runLink", "createdBy", "createdAt", "updatedAt")
       SELECT ${versionId("m", "v")}, ${modelId("m")}, v, 'runs:/' || ${runId} || '/model',
              'mlflow-artifacts:/' || $5 || '/' || ${runId} || '/artifacts/model', ${runId}, NULL,
              'READY', NULL, ${stage}, NULL, NULL, $4,
              to_timestamp(${minute("v")}), to_timestamp(${minute("v")} + CASE WHEN ${stage} = 'None' THEN 0 ELSE 15 END)
       FROM generate_series($1::int, $2::int) m, generate_series(1, $3::int) v
       ORDER BY m, v`,
      [...batch, createdBy, experiment.number],
    );
    await client.query(
      `INSERT INTO "ModelAlias" ("modelId", alias, "versionId", "updatedAt")
       SELECT ${modelId("m")}, $4, ${versionId("m", String(aliasedVersion(versionsPerModel)))}, to_timestamp(${minute("$3")} + 30)
       FROM generate_series($1::int, $2::int) m
       ORDER BY m`,
      [...batch, seed.alias],
    );
  }
}
