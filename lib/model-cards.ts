/**
 * A model card's sections. The standard ones have fixed ids and titles; a project adds free sections
 * with ids `custom:<title>`. Each section's body is markdown, rendered without HTML.
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

export const MAX_CARD_SECTION_LENGTH = 100_000;
export const MAX_CARD_SECTIONS = 50;
const CUSTOM_PREFIX = "custom:";

/** A section id's title: the standard title, or what follows `custom:`. Null for an unknown id. */
export function cardSectionTitle(id: string): string | null {
  const standard = STANDARD_CARD_SECTIONS.find((section) => section.id === id);
  if (standard) return standard.title;
  const title = id.startsWith(CUSTOM_PREFIX) ? id.slice(CUSTOM_PREFIX.length).trim() : "";
  return title && title.length <= 100 ? title : null;
}

/** Section ids in card order: the standard ones first, then the custom ones by title. */
export function orderedSectionIds(sections: CardSections): string[] {
  const standard = STANDARD_CARD_SECTIONS.map((section) => section.id).filter((id) => id in sections);
  const custom = Object.keys(sections)
    .filter((id) => id.startsWith(CUSTOM_PREFIX))
    .sort();
  return [...standard, ...custom];
}
