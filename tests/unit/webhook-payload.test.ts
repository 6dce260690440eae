import { describe, expect, it } from "vitest";
import { deliveryBody, summaryLine, type WebhookPayload } from "@/server/services/webhooks/payload";

const base: WebhookPayload = {
  id: "e1",
  kind: "alias.changed",
  time: "2026-12-02T08:00:00.000Z",
  project: { slug: "fraud" },
  model: { name: "scorer" },
  version: 7,
  actor: "ana@example.com",
  before: { alias: "champion", version: 6 },
  after: { alias: "champion", version: 7 },
  url: "https://tally.example.com/projects/fraud/models/scorer/versions/7",
};

describe("Slack summary lines", () => {
  it("says what moved where, by whom, with a link", () => {
    expect(summaryLine(base)).toBe(
      "[fraud] Alias changed: scorer v7 (champion: v6 → v7) by ana@example.com <https://tally.example.com/projects/fraud/models/scorer/versions/7|open in Tally>",
    );
    expect(summaryLine({ ...base, before: { alias: "champion", version: 7 }, after: null })).toContain("(champion: v7 → none)");
    expect(summaryLine({ ...base, kind: "stage.changed", before: { stage: "Staging" }, after: { stage: "Production" } })).toContain(
      "Stage changed: scorer v7 (Staging → Production)",
    );
    expect(summaryLine({ ...base, kind: "version.created", before: null, after: { stage: "None" } })).toContain("Version created: scorer v7 by");
    expect(summaryLine({ ...base, kind: "card.changed", version: null, before: { revision: 2 }, after: { revision: 3 } })).toContain(
      "Model card changed: scorer (revision 2 → revision 3)",
    );
    expect(summaryLine({ ...base, kind: "ping", model: null, version: null, before: null, after: null })).toMatch(/^Tally test event for project fraud/);
  });

  it("sends the payload itself in the tally format and only the line in the slack format", () => {
    expect(JSON.parse(deliveryBody("tally", base))).toEqual(base);
    expect(JSON.parse(deliveryBody("slack", base))).toEqual({ text: summaryLine(base) });
  });
});
