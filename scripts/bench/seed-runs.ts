import type pg from "pg";

/**
 * Bulk-inserts `count` runs with 20 params and 20 latest metrics each into an experiment, straight in
 * SQL: filling the database is not what the benchmarks measure. Rows are written run by run, as
 * clients log them, so each key's rows lie scattered over the table as they do in production (key by
 * key seeding would cluster them and flatter every search). `skipRunId` keeps one run metric-free.
 */
export async function seedRuns(client: pg.Client, experimentNumber: string, count: number, skipRunId = ""): Promise<void> {
  const { rows } = await client.query<{ id: string; projectId: string }>(`SELECT id, "projectId" FROM "Experiment" WHERE number = $1`, [
    Number(experimentNumber),
  ]);
  const experiment = rows[0]!;
  await client.query(
    `INSERT INTO "Run" (id, "projectId", "experimentId", name, status, "startTime", "endTime", "artifactUri")
     SELECT md5('run' || g), $1, $2, 'run-' || g, (ARRAY['FINISHED','FAILED','RUNNING'])[1 + g % 3],
            1700000000000 + g * 1000, 1700000000000 + g * 1000 + 60000,
            'mlflow-artifacts:/' || $3 || '/' || md5('run' || g) || '/artifacts'
     FROM generate_series(1, $4::int) g`,
    [experiment.projectId, experiment.id, experimentNumber, count],
  );
  await client.query(
    `INSERT INTO "Param" ("runId", "runSeq", key, value)
     SELECT r.id, r.seq, 'p_' || k, 'v' || ((g * 7 + k * 13) % 10)
     FROM generate_series(1, $1::int) g JOIN "Run" r ON r.id = md5('run' || g), generate_series(0, 19) k
     ORDER BY g, k`,
    [count],
  );
  await client.query(
    `INSERT INTO "LatestMetric" ("runSeq", key, value, timestamp, step)
     SELECT r.seq, 'm_' || k, random(), 1700000000000, 100
     FROM "Run" r, generate_series(0, 19) k WHERE r."experimentId" = $1 AND r.id <> $2
     ORDER BY r.seq, k`,
    [experiment.id, skipRunId],
  );
}
