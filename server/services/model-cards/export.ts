import { stringify } from "yaml";
import { cardSectionTitle, orderedSectionIds } from "@/lib/model-cards";
import { assertScope, type ProjectAccess } from "../access";
import { getModelVersion, getRegisteredModel } from "../registry";
import { getModelCard } from "./cards";

/**
 * A version's card as a Hugging Face-style model card: YAML front matter with the version's
 * metadata, then one markdown section per card section, ready to drop into a model repository.
 */
export async function exportModelCardMarkdown(access: ProjectAccess, modelName: string, version: number): Promise<string> {
  assertScope(access, "project:read");
  const [model, modelVersion, card] = [
    await getRegisteredModel(access, modelName),
    await getModelVersion(access, modelName, version),
    await getModelCard(access, { modelName, version }),
  ];
  const metadata = {
    model_name: model.name,
    version: modelVersion.version,
    stage: modelVersion.stage,
    aliases: modelVersion.aliases,
    tags: { ...model.tags, ...modelVersion.tags },
    source: modelVersion.source,
    ...(modelVersion.runId ? { source_run_id: modelVersion.runId } : {}),
    ...(modelVersion.loggedModelId ? { logged_model_id: modelVersion.loggedModelId } : {}),
    card_revision: card.revision,
    created_at: modelVersion.createdAt.toISOString(),
  };
  const body = orderedSectionIds(card.sections, card.projectSections).map(
    (id) => `## ${cardSectionTitle(id, card.projectSections)}\n\n${card.sections[id]!.trim()}\n`,
  );
  return `---\n${stringify(metadata)}---\n\n# ${model.name} v${modelVersion.version}\n\n${body.join("\n")}`;
}
