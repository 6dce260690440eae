export const modelsHref = (slug: string) => `/projects/${slug}/models`;
export const modelHref = (slug: string, name: string) => `/projects/${slug}/models/${encodeURIComponent(name)}`;
export const versionHref = (slug: string, name: string, version: number) => `${modelHref(slug, name)}/versions/${version}`;
