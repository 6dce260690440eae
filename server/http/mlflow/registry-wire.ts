import type { ModelVersion, RegisteredModel } from "@/server/services/registry";

/** MLflow's wire shapes of the registry (snake_case, string versions, epoch milliseconds). */
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

export function modelVersionWire(version: ModelVersion) {
  return {
    name: version.modelName,
    version: String(version.version),
    creation_timestamp: version.createdAt.getTime(),
    last_updated_timestamp: version.updatedAt.getTime(),
    user_id: version.createdBy,
    current_stage: version.stage,
    description: version.description ?? "",
    source: version.source,
    ...(version.runId ? { run_id: version.runId } : {}),
    status: version.status,
    ...(version.statusMessage ? { status_message: version.statusMessage } : {}),
    tags: tagList(version.tags),
    ...(version.runLink ? { run_link: version.runLink } : {}),
    aliases: version.aliases,
    ...(version.loggedModelId ? { model_id: version.loggedModelId } : {}),
  };
}

export function registeredModelWire(model: RegisteredModel) {
  return {
    name: model.name,
    creation_timestamp: model.createdAt.getTime(),
    last_updated_timestamp: model.updatedAt.getTime(),
    user_id: model.createdBy,
    description: model.description ?? "",
    latest_versions: model.latestVersions.map(modelVersionWire),
    tags: tagList(model.tags),
    aliases: model.aliases.map(({ alias, version }) => ({ alias, version: String(version) })),
  };
}

/** [{key, value}] as the client sends tags, as a record (a later duplicate key wins, as in MLflow). */
export const tagRecord = (tags: readonly { key: string; value: string }[]) => Object.fromEntries(tags.map((tag) => [tag.key, tag.value]));
