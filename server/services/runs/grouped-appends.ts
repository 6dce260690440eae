import { metrics } from "@/server/observability/metrics";
import { metricStore, type RunPoints } from "../metrics";
import { ACTIVE_RUNS_SQL } from "./writable-runs";

/**
 * Grouped commits for small metric writes (docs/performance.md, "Grouped commits"). The mlflow
 * client sends each `log_metric` as its own request; stored one by one, each would be a statement
 * and a commit of its own, and on small writes that fixed cost is most of PostgreSQL's work. Here a
 * write that arrives while another group is being stored waits for it, and then all the writes
 * waiting go as one statement with one commit. A write alone goes at once, so a quiet server adds
 * no delay; a busy one adds at most one group's time.
 *
 * Each request is answered after its group has committed, so nothing acknowledged can be lost. A
 * group's statement that fails is retried write by write, so that one write's failure is its own.
 */

/** Points in one group at most; a write larger than this goes alone. */
export const MAX_GROUP_POINTS = 200;

interface Waiting {
  write: RunPoints;
  settle: (outcome: { stored: boolean } | { error: unknown }) => void;
}

let waiting: Waiting[] = [];
let storing = false;

/** True once the points are committed; false, having written nothing, when the run is not an active run of the project. */
export function appendGrouped(write: RunPoints): Promise<boolean> {
  return new Promise((resolve, reject) => {
    waiting.push({ write, settle: (outcome) => ("error" in outcome ? reject(outcome.error) : resolve(outcome.stored)) });
    if (!storing) void storeWaiting();
  });
}

async function storeWaiting(): Promise<void> {
  storing = true;
  try {
    while (waiting.length > 0) {
      const group = takeGroup();
      await storeGroup(group).catch(async () => {
        for (const each of group) await storeGroup([each]).catch((error: unknown) => each.settle({ error }));
      });
    }
  } finally {
    storing = false;
  }
}

/** The writes waiting longest, up to MAX_GROUP_POINTS points (always at least one write). */
function takeGroup(): Waiting[] {
  let points = 0;
  let count = 0;
  while (count < waiting.length && (count === 0 || points + waiting[count]!.write.points.length <= MAX_GROUP_POINTS)) {
    points += waiting[count]!.write.points.length;
    count++;
  }
  const group = waiting.slice(0, count);
  waiting = waiting.slice(count);
  return group;
}

async function storeGroup(group: Waiting[]): Promise<void> {
  const written = await metricStore().appendToRuns(ACTIVE_RUNS_SQL, group.map((each) => each.write));
  metrics().metricWriteGroups.observe(group.length);
  for (const each of group) each.settle({ stored: written.has(each.write.runId) });
}
