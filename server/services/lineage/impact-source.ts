import type { ImpactSource } from "./types";

/** The impact query's starting point from its request fields (validated at the edge: exactly one is set). */
export function impactSourceOf(query: { dataset?: string; digest?: string; commit?: string; model?: string }): ImpactSource {
  if (query.dataset) return { kind: "dataset", name: query.dataset, ...(query.digest ? { digest: query.digest } : {}) };
  if (query.commit) return { kind: "commit", commit: query.commit };
  return { kind: "model", modelId: query.model ?? "" };
}
