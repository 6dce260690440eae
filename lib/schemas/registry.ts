import { MODEL_STAGES, type ModelStage, type StageOrAlias } from "../model-registry-states";

/**
 * The model registry's rules that both the service and the web app need: stage names, name and
 * alias rules and limits, as MLflow's server applies them (docs/mlflow-compat.md).
 */

/** The canonical stage for a name in any case ("production" → "Production"), or null. */
export function canonicalStage(name: string): ModelStage | null {
  return MODEL_STAGES.find((stage) => stage.toLowerCase() === name.trim().toLowerCase()) ?? null;
}

export const MAX_MODEL_NAME_LENGTH = 256;
export const MAX_ALIAS_LENGTH = 255;
export const MAX_REGISTRY_TAG_VALUE_LENGTH = 100_000;
export const MAX_REGISTRY_DESCRIPTION_LENGTH = 100_000;
export const MAX_SOURCE_LENGTH = 65_535;

/** Why a registered model name is refused, or null when it is fine. */
export function modelNameProblem(name: string): string | null {
  if (!name.trim()) return "Registered model name cannot be empty";
  if (name.length > MAX_MODEL_NAME_LENGTH) return `Registered model name must be at most ${MAX_MODEL_NAME_LENGTH} characters`;
  if (/[/:]/.test(name)) return `Registered model name '${name}' cannot contain '/' or ':'`;
  return null;
}

/** Why an alias is refused, or null. `latest` and `v<digits>` name versions already, in any case. */
export function aliasProblem(alias: string): string | null {
  if (!alias) return "Alias cannot be empty";
  if (alias.length > MAX_ALIAS_LENGTH) return `Alias must be at most ${MAX_ALIAS_LENGTH} characters`;
  if (!/^[\w-]+$/.test(alias)) return `Alias '${alias}' may contain only letters, digits, '_' and '-'`;
  if (/^(latest|v\d+)$/i.test(alias)) return `Alias '${alias}' is reserved`;
  return null;
}

/**
 * A stage or an alias named in one word, as URLs and forms take it: `stage:Production` and
 * `alias:champion` are explicit; a bare word is a stage when it is one (any case), else an alias.
 */
export function parseStageOrAlias(text: string): StageOrAlias | { problem: string } {
  const [prefix, rest] = text.includes(":") ? [text.slice(0, text.indexOf(":")), text.slice(text.indexOf(":") + 1)] : [null, text];
  if (prefix !== null && prefix !== "stage" && prefix !== "alias") {
    return { problem: `target '${text}' must be a stage, an alias, stage:<stage> or alias:<alias>` };
  }
  const stage = prefix === "alias" ? null : canonicalStage(rest);
  if (stage) return { kind: "stage", stage };
  if (prefix === "stage") return { problem: `'${rest}' is not a stage (choose from ${MODEL_STAGES.join(", ")})` };
  const problem = aliasProblem(rest);
  return problem ? { problem } : { kind: "alias", alias: rest };
}
