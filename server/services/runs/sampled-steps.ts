/**
 * At most `maxResults` (+1) of the ascending `steps`, evenly spread, always keeping the first and the
 * last: how MLflow's bulk-interval history picks the steps a chart of several runs shows. The metric
 * store computes the same picks in the database (MetricStore.sampledSteps); this is their definition,
 * and the tests hold the store to it.
 */
export function sampleSteps(steps: readonly number[], maxResults: number): number[] {
  if (steps.length <= maxResults) return [...steps];
  const picked = new Set<number>();
  for (let index = 0; index < maxResults; index++) picked.add(steps[Math.floor((index * steps.length) / maxResults)]!);
  picked.add(steps.at(-1)!);
  return [...picked];
}
