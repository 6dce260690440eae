/**
 * A model card's sections. The standard ones have fixed ids and titles. The project's own sections
 * (defined in its settings, shown on every card of the project) have ids `project:<section row id>`,
 * so renaming one changes only its title. A card may also add sections of its own, with ids
 * `custom:<title>`. Each section's body is markdown, rendered without HTML.
 */
export const STANDARD_CARD_SECTIONS = [
  { id: "summary", title: "Summary" },
  { id: "intended_use", title: "Intended use" },
  { id: "out_of_scope_use", title: "Out-of-scope use" },
  { id: "training_data", title: "Training data" },
  { id: "evaluation", title: "Evaluation" },
  { id: "limitations", title: "Limitations" },
  { id: "ethical_considerations", title: "Ethical considerations" },
  { id: "owners", title: "Owners" },
] as const;

export type CardSections = Record<string, string>;

/** One of the project's sections, as cards see it. A removed one still titles the text cards kept in it. */
export interface ProjectCardSection {
  /** The section id cards use: `project:<row id>`. */
  id: string;
  title: string;
  removed: boolean;
}

export const MAX_CARD_SECTION_LENGTH = 100_000;
export const MAX_CARD_SECTIONS = 50;
export const MAX_CARD_SECTION_TITLE_LENGTH = 100;
export const MAX_PROJECT_CARD_SECTIONS = 20;
const CUSTOM_PREFIX = "custom:";
export const PROJECT_SECTION_PREFIX = "project:";

/** A section id's title: the standard title, the project section's, or what follows `custom:`. Null for an unknown id. */
export function cardSectionTitle(id: string, projectSections: readonly ProjectCardSection[]): string | null {
  const standard = STANDARD_CARD_SECTIONS.find((section) => section.id === id);
  if (standard) return standard.title;
  if (id.startsWith(PROJECT_SECTION_PREFIX)) return projectSections.find((section) => section.id === id)?.title ?? null;
  const title = id.startsWith(CUSTOM_PREFIX) ? id.slice(CUSTOM_PREFIX.length).trim() : "";
  return title && title.length <= MAX_CARD_SECTION_TITLE_LENGTH ? title : null;
}

/**
 * Section ids in card order: the standard ones, then the project's (in the project's order), then the
 * card's own custom ones by title. Only ids present in `sections`; with `everyProjectSection`, also
 * every project section that is not removed, written or not (a card lists them until they are filled).
 */
export function orderedSectionIds(
  sections: CardSections,
  projectSections: readonly ProjectCardSection[],
  options: { everyProjectSection?: boolean } = {},
): string[] {
  const standard = STANDARD_CARD_SECTIONS.map((section) => section.id).filter((id) => id in sections);
  const project = projectSections
    .filter((section) => section.id in sections || (options.everyProjectSection && !section.removed))
    .map((section) => section.id);
  const custom = Object.keys(sections)
    .filter((id) => id.startsWith(CUSTOM_PREFIX))
    .sort();
  return [...standard, ...project, ...custom];
}
