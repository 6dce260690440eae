import { badInput, notFound } from "@/lib/errors";
import { MAX_RUN_TAG_VALUE_LENGTH } from "@/lib/schemas/mlflow";
import { withPgTransaction } from "@/server/db/pool";
import { assertScope, type ProjectAccess } from "../access";
import { assertActive } from "./runs";

export const LOG_MODEL_HISTORY_TAG = "mlflow.log-model.history";

/**
 * MLflow's runs/log-model: appends `model` to the run's mlflow.log-model.history tag. The new value
 * is held to the run tag limit as MLflow's server does: past it the call is refused and the stored
 * history stays as it was. The run's row is locked, so concurrent calls never lose an entry.
 */
export async function recordLoggedModel(access: ProjectAccess, runId: string, model: unknown): Promise<void> {
  assertScope(access, "runs:write");
  await withPgTransaction(async (tx) => {
    const run = await tx.query<{ seq: number; lifecycleStage: string }>(
      `SELECT "seq", "lifecycleStage" FROM "Run" WHERE "id" = $1 AND "projectId" = $2 FOR UPDATE`,
      [runId, access.project.id],
    );
    const row = run.rows[0];
    if (!row) throw notFound(`Run with id=${runId} not found`);
    assertActive({ id: runId, lifecycleStage: row.lifecycleStage });
    const previous = await tx.query<{ value: string }>(`SELECT "value" FROM "RunTag" WHERE "runId" = $1 AND "key" = $2`, [
      runId,
      LOG_MODEL_HISTORY_TAG,
    ]);
    const history = previous.rows[0] ? storedHistory(runId, previous.rows[0].value) : [];
    const value = JSON.stringify([...history, model]);
    if (value.length > MAX_RUN_TAG_VALUE_LENGTH) {
      throw badInput(
        `'value' exceeds the maximum length of ${MAX_RUN_TAG_VALUE_LENGTH} characters: the run's ${LOG_MODEL_HISTORY_TAG} tag is full`,
      );
    }
    await tx.query(
      `INSERT INTO "RunTag" ("runId", "runSeq", "key", "value") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("runId", "key") DO UPDATE SET "value" = EXCLUDED."value"`,
      [runId, row.seq, LOG_MODEL_HISTORY_TAG, value],
    );
  });
}

/**
 * The entries of a stored history tag. Clients may set the tag themselves (mlflow.set_tag), so its
 * value can be any text; one that is not a JSON list is refused rather than overwritten or appended
 * to (MLflow's server fails with a 500 here).
 */
function storedHistory(runId: string, value: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed)) {
    throw badInput(
      `Run ${runId}'s ${LOG_MODEL_HISTORY_TAG} tag is not a JSON list, so no model can be appended to it; ` +
        `set the tag to a JSON list (e.g. "[]") or delete it`,
    );
  }
  return parsed;
}
