import { diffLines } from "diff";
import { cardSectionTitle, orderedSectionIds, type CardSections, type ProjectCardSection } from "@/lib/model-cards";

/** One row of a side-by-side diff: the line on each side, or null where that side has none. */
export interface DiffRow {
  left: string | null;
  right: string | null;
  change: "same" | "removed" | "added" | "changed";
}

export interface SectionDiff {
  id: string;
  title: string;
  rows: DiffRow[];
}

const linesOf = (text: string) => (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");

/** Side-by-side rows for two texts: removed lines pair with the added lines that replaced them. */
export function sideBySide(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  // Every line ends with a newline, so a last line without one still compares equal to itself.
  const parts = diffLines(`${before}\n`, `${after}\n`);
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (!part.added && !part.removed) {
      for (const line of linesOf(part.value)) rows.push({ left: line, right: line, change: "same" });
    } else if (part.removed) {
      const removed = linesOf(part.value);
      const next = parts[index + 1];
      const added = next?.added ? linesOf(next.value) : [];
      if (next?.added) index++;
      for (let line = 0; line < Math.max(removed.length, added.length); line++) {
        const left = removed[line] ?? null;
        const right = added[line] ?? null;
        rows.push({ left, right, change: left !== null && right !== null ? "changed" : left !== null ? "removed" : "added" });
      }
    } else {
      for (const line of linesOf(part.value)) rows.push({ left: null, right: line, change: "added" });
    }
  }
  return rows;
}

/** Per section of either card, in card order, the side-by-side rows; unchanged sections are left out. */
export function diffCards(before: CardSections, after: CardSections, projectSections: readonly ProjectCardSection[]): SectionDiff[] {
  const ids = orderedSectionIds({ ...before, ...after }, projectSections);
  return ids
    .filter((id) => (before[id] ?? "") !== (after[id] ?? ""))
    .map((id) => ({ id, title: cardSectionTitle(id, projectSections) ?? id, rows: sideBySide(before[id] ?? "", after[id] ?? "") }));
}
