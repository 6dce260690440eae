export const datasetsHref = (slug: string) => `/projects/${slug}/datasets`;
export const datasetHref = (slug: string, name: string) => `${datasetsHref(slug)}/${encodeURIComponent(name)}`;
/** The lineage tab of one version of a dataset. */
export const datasetLineageHref = (slug: string, name: string, digest: string) => `${datasetHref(slug, name)}/lineage?digest=${encodeURIComponent(digest)}`;
