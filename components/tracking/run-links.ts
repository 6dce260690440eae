export const runHref = (slug: string, runId: string) => `/projects/${slug}/runs/${runId}`;
export const experimentHref = (slug: string, experimentId: string) => `/projects/${slug}/experiments/${experimentId}`;
export const compareHref = (slug: string, runIds: string[]) => `/projects/${slug}/compare?runs=${runIds.join(",")}`;
export const artifactRawHref = (slug: string, runId: string, path: string, download = false) =>
  `/projects/${slug}/runs/${runId}/artifact?path=${encodeURIComponent(path)}${download ? "&download=1" : ""}`;

/**
 * Whose artifacts a browser shows: a run's, or a registered version's (listed relative to its storage
 * location; `runId`/`prefix` say where they sit in the run's artifacts when that is where they are).
 */
export type ArtifactSource =
  | { kind: "run"; runId: string }
  | { kind: "version"; name: string; version: number; runId: string | null; prefix: string };

/** The preview (or, with `download`, download) link of a file of `source`, `path` relative to its top. */
export function artifactHref(slug: string, source: ArtifactSource, path: string, download = false): string {
  if (source.kind === "run") return artifactRawHref(slug, source.runId, path, download);
  if (source.runId !== null) return artifactRawHref(slug, source.runId, source.prefix ? `${source.prefix}/${path}` : path, download);
  return `/projects/${slug}/models/${encodeURIComponent(source.name)}/versions/${source.version}/artifact?path=${encodeURIComponent(path)}${download ? "&download=1" : ""}`;
}
