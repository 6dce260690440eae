export const runHref = (slug: string, runId: string) => `/projects/${slug}/runs/${runId}`;
export const experimentHref = (slug: string, experimentId: string) => `/projects/${slug}/experiments/${experimentId}`;
export const compareHref = (slug: string, runIds: string[]) => `/projects/${slug}/compare?runs=${runIds.join(",")}`;
export const artifactRawHref = (slug: string, runId: string, path: string, download = false) =>
  `/projects/${slug}/runs/${runId}/artifact?path=${encodeURIComponent(path)}${download ? "&download=1" : ""}`;
