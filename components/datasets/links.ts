export const datasetsHref = (slug: string) => `/projects/${slug}/datasets`;
export const datasetHref = (slug: string, name: string) => `${datasetsHref(slug)}/${encodeURIComponent(name)}`;
