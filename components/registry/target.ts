/** What a registry editor changes: a registered model, or one of its versions. */
export type RegistryTarget = { slug: string; name: string; version?: number };

export const targetRef = (target: RegistryTarget) => ({ projectSlug: target.slug, name: target.name });
