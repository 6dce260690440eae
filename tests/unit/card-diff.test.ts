import { describe, expect, it } from "vitest";
import { diffCards, sideBySide } from "@/components/model-cards/card-diff";

describe("model card diffs", () => {
  it("pairs a changed line with its replacement and keeps unchanged lines on both sides", () => {
    expect(sideBySide("intro\nold line\nend", "intro\nnew line\nend")).toEqual([
      { left: "intro", right: "intro", change: "same" },
      { left: "old line", right: "new line", change: "changed" },
      { left: "end", right: "end", change: "same" },
    ]);
  });

  it("shows lines only one side has as removed or added", () => {
    expect(sideBySide("a\nb", "a\nb\nc")).toEqual([
      { left: "a", right: "a", change: "same" },
      { left: "b", right: "b", change: "same" },
      { left: null, right: "c", change: "added" },
    ]);
    expect(sideBySide("a\nb\nc", "a")).toEqual([
      { left: "a", right: "a", change: "same" },
      { left: "b", right: null, change: "removed" },
      { left: "c", right: null, change: "removed" },
    ]);
  });

  it("lists only the sections that differ, in card order, with their titles", () => {
    const before = { summary: "Same.", limitations: "Old.", "custom:Audit": "Done." };
    const after = { summary: "Same.", limitations: "New.", owners: "Team", "custom:Audit": "Done." };
    expect(diffCards(before, after, []).map((section) => [section.id, section.title])).toEqual([
      ["limitations", "Limitations"],
      ["owners", "Owners"],
    ]);
  });

  it("titles the project's sections by their current title, a removed one included, after the standard ones", () => {
    const projectSections = [
      { id: "project:a", title: "Fairness review", removed: false },
      { id: "project:b", title: "Deployment notes", removed: true },
    ];
    const before = { "custom:Audit": "Old.", "project:b": "Canary first." };
    const after = { "custom:Audit": "New.", "project:a": "Reviewed.", owners: "Team" };
    expect(diffCards(before, after, projectSections).map((section) => [section.id, section.title])).toEqual([
      ["owners", "Owners"],
      ["project:a", "Fairness review"],
      ["project:b", "Deployment notes"],
      ["custom:Audit", "Audit"],
    ]);
  });
});
