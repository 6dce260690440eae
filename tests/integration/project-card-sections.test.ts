import { describe, expect, it } from "vitest";
import { GET as exportCard } from "@/app/api/v1/models/[name]/versions/[version]/card.md/route";
import { cardSectionTitle, orderedSectionIds } from "@/lib/model-cards";
import { db } from "@/server/db/client";
import { addTestMember, callerFor, createProjectWithToken, createTestProject, mlflowRequest, trpcErrorOf, uniqueSuffix } from "../factories";

/**
 * The sections a project adds to every model card (Settings → Model cards): who may define them,
 * how cards show, inherit and export them, and that renaming or removing one never loses card text.
 */

async function projectWithModels() {
  const p = await createProjectWithToken("MEMBER", ["read", "write"]);
  const asToken = { projectSlug: p.project.slug, token: p.plaintext };
  const run = await mlflowRequest(asToken, "POST", "runs/create", { experiment_id: "0" });
  const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
  const [first, second] = [`sections-${uniqueSuffix()}`, `sections-${uniqueSuffix()}`];
  for (const name of [first, second]) {
    await mlflowRequest(asToken, "POST", "registered-models/create", { name });
    await mlflowRequest(asToken, "POST", "model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId });
  }
  const maintainer = await addTestMember(p.project.id, "MAINTAINER");
  return { ...p, slug: p.project.slug, maintainer, first, second };
}

async function cardMarkdown(name: string, token: string) {
  const response = await exportCard(new Request(`http://t/api/v1/models/${name}/versions/1/card.md`, { headers: { authorization: `Bearer ${token}` } }), {
    params: Promise.resolve({ name, version: "1" }),
  });
  expect(response.status).toBe(200);
  return response.text();
}

const auditOf = (projectId: string) =>
  db().auditEvent.findMany({
    where: { projectId, action: { startsWith: "card_section." } },
    orderBy: { id: "asc" },
    select: { action: true, actorLabel: true, actorRole: true, before: true, after: true },
  });

describe("the project's own card sections", () => {
  it("are defined by owners and maintainers, audited, and listed on every card after the standard ones, empty until filled", async () => {
    const p = await projectWithModels();
    const fairness = await callerFor(p.maintainer).modelCards.projectSections.add({ projectSlug: p.slug, title: "  Fairness review " });
    const deployment = await callerFor(p.owner).modelCards.projectSections.add({ projectSlug: p.slug, title: "Deployment notes" });
    expect(fairness).toEqual({ id: expect.stringMatching(/^project:/), title: "Fairness review", removed: false });
    expect(await callerFor(p.member).modelCards.projectSections.list({ projectSlug: p.slug })).toEqual([fairness, deployment]);

    for (const version of [undefined, 1]) {
      const card = await callerFor(p.member).modelCards.get({ projectSlug: p.slug, modelName: p.first, version });
      expect(card.sections).toEqual({});
      expect(card.projectSections).toEqual([fairness, deployment]);
      expect(orderedSectionIds(card.sections, card.projectSections, { everyProjectSection: true })).toEqual([fairness.id, deployment.id]);
    }

    expect(await auditOf(p.project.id)).toEqual([
      { action: "card_section.add", actorLabel: p.maintainer.email, actorRole: "MAINTAINER", before: null, after: { title: "Fairness review", removed: false } },
      { action: "card_section.add", actorLabel: p.owner.email, actorRole: "OWNER", before: null, after: { title: "Deployment notes", removed: false } },
    ]);
  });

  it("are inherited by version cards like the standard sections, can be overridden, and are exported once filled", async () => {
    const p = await projectWithModels();
    const sections = callerFor(p.owner).modelCards.projectSections;
    const fairness = await sections.add({ projectSlug: p.slug, title: "Fairness review" });
    const deployment = await sections.add({ projectSlug: p.slug, title: "Deployment notes" });
    const cards = callerFor(p.member).modelCards;
    await cards.save({
      projectSlug: p.slug,
      modelName: p.first,
      baseRevision: 0,
      sections: { summary: "Classifies flowers.", [fairness.id]: "Reviewed by the ethics board.", "custom:Notes": "Own section." },
    });
    const inherited = await cards.get({ projectSlug: p.slug, modelName: p.first, version: 1 });
    expect(inherited.sections[fairness.id]).toBe("Reviewed by the ethics board.");
    expect(inherited.inherited).toContain(fairness.id);

    const overridden = await cards.save({ projectSlug: p.slug, modelName: p.first, version: 1, baseRevision: 0, sections: { [fairness.id]: "Version 1 re-reviewed." } });
    expect(overridden.sections).toMatchObject({ summary: "Classifies flowers.", [fairness.id]: "Version 1 re-reviewed.", "custom:Notes": "Own section." });
    expect(overridden.inherited).not.toContain(fairness.id);
    expect(orderedSectionIds(overridden.sections, overridden.projectSections, { everyProjectSection: true })).toEqual([
      "summary",
      fairness.id,
      deployment.id,
      "custom:Notes",
    ]);

    const markdown = await cardMarkdown(p.first, p.plaintext);
    const at = (text: string) => markdown.indexOf(text);
    expect(at("## Summary\n\nClassifies flowers.")).toBeGreaterThan(0);
    expect(at("## Fairness review\n\nVersion 1 re-reviewed.")).toBeGreaterThan(at("## Summary"));
    expect(at("## Notes\n\nOwn section.")).toBeGreaterThan(at("## Fairness review"));
    expect(markdown).not.toContain("Deployment notes");
  });

  it("keep every card's text through a rename and a removal, and come back when their title is added again", async () => {
    const p = await projectWithModels();
    const sections = callerFor(p.maintainer).modelCards.projectSections;
    const cards = callerFor(p.member).modelCards;
    const review = await sections.add({ projectSlug: p.slug, title: "Fairness review" });
    await cards.save({ projectSlug: p.slug, modelName: p.first, baseRevision: 0, sections: { [review.id]: "Balanced across regions." } });

    const renamed = await sections.rename({ projectSlug: p.slug, sectionId: review.id, title: "Bias audit" });
    expect(renamed).toEqual({ id: review.id, title: "Bias audit", removed: false });
    const afterRename = await cards.get({ projectSlug: p.slug, modelName: p.first, version: 1 });
    expect(afterRename.sections[review.id]).toBe("Balanced across regions.");
    expect(cardSectionTitle(review.id, afterRename.projectSections)).toBe("Bias audit");
    expect(await cardMarkdown(p.first, p.plaintext)).toContain("## Bias audit\n\nBalanced across regions.");

    expect(await sections.remove({ projectSlug: p.slug, sectionId: review.id })).toEqual({ ...renamed, removed: true });
    // The card that holds text in it still shows, saves and exports that text; an empty card no longer lists it.
    const written = await cards.get({ projectSlug: p.slug, modelName: p.first });
    expect(orderedSectionIds(written.sections, written.projectSections, { everyProjectSection: true })).toEqual([review.id]);
    expect(cardSectionTitle(review.id, written.projectSections)).toBe("Bias audit");
    const resaved = await cards.save({
      projectSlug: p.slug,
      modelName: p.first,
      baseRevision: 1,
      sections: { ...written.ownSections, summary: "Still here." },
    });
    expect(resaved.sections).toEqual({ summary: "Still here.", [review.id]: "Balanced across regions." });
    expect(await cardMarkdown(p.first, p.plaintext)).toContain("## Bias audit\n\nBalanced across regions.");
    const empty = await cards.get({ projectSlug: p.slug, modelName: p.second });
    expect(orderedSectionIds(empty.sections, empty.projectSections, { everyProjectSection: true })).toEqual([]);

    // Adding the title again brings the same section back, text and all.
    const back = await sections.add({ projectSlug: p.slug, title: "bias AUDIT" });
    expect(back).toEqual({ id: review.id, title: "bias AUDIT", removed: false });
    expect((await cards.get({ projectSlug: p.slug, modelName: p.first })).sections[review.id]).toBe("Balanced across regions.");

    expect((await auditOf(p.project.id)).map((event) => [event.action, event.before, event.after])).toEqual([
      ["card_section.add", null, { title: "Fairness review", removed: false }],
      ["card_section.rename", { title: "Fairness review", removed: false }, { title: "Bias audit", removed: false }],
      ["card_section.remove", { title: "Bias audit", removed: false }, { title: "Bias audit", removed: true }],
      ["card_section.add", { title: "Bias audit", removed: true }, { title: "bias AUDIT", removed: false }],
    ]);
  });

  it("refuses empty, duplicate and standard titles, changing nothing", async () => {
    const p = await projectWithModels();
    const sections = callerFor(p.owner).modelCards.projectSections;
    const review = await sections.add({ projectSlug: p.slug, title: "Fairness review" });
    const notes = await sections.add({ projectSlug: p.slug, title: "Deployment notes" });
    const before = await sections.list({ projectSlug: p.slug });
    const auditBefore = (await auditOf(p.project.id)).length;
    const attempts = [
      [() => sections.add({ projectSlug: p.slug, title: "fairness REVIEW" }), "CONFLICT"],
      [() => sections.add({ projectSlug: p.slug, title: "Intended use" }), "BAD_REQUEST"],
      [() => sections.add({ projectSlug: p.slug, title: "   " }), "BAD_REQUEST"],
      [() => sections.add({ projectSlug: p.slug, title: "x".repeat(101) }), "BAD_REQUEST"],
      [() => sections.rename({ projectSlug: p.slug, sectionId: notes.id, title: "Fairness Review" }), "CONFLICT"],
      [() => sections.rename({ projectSlug: p.slug, sectionId: review.id, title: "Summary" }), "BAD_REQUEST"],
      [() => sections.rename({ projectSlug: p.slug, sectionId: "project:nope", title: "Anything" }), "NOT_FOUND"],
    ] as const;
    for (const [attempt, code] of attempts) expect((await trpcErrorOf(attempt())).code).toBe(code);
    expect(await sections.list({ projectSlug: p.slug })).toEqual(before);
    expect(await auditOf(p.project.id)).toHaveLength(auditBefore);
  });

  it("are read by viewers and members, changed by neither, and invisible and untouchable from another project", async () => {
    const p = await projectWithModels();
    const review = await callerFor(p.owner).modelCards.projectSections.add({ projectSlug: p.slug, title: "Fairness review" });
    const viewer = await addTestMember(p.project.id, "VIEWER");
    const before = await callerFor(p.owner).modelCards.projectSections.list({ projectSlug: p.slug });
    for (const actor of [viewer, p.member]) {
      const sections = callerFor(actor).modelCards.projectSections;
      expect(await sections.list({ projectSlug: p.slug })).toEqual(before);
      for (const attempt of [
        () => sections.add({ projectSlug: p.slug, title: "Planted" }),
        () => sections.rename({ projectSlug: p.slug, sectionId: review.id, title: "Defaced" }),
        () => sections.remove({ projectSlug: p.slug, sectionId: review.id }),
      ]) {
        expect((await trpcErrorOf(attempt())).code).toBe("FORBIDDEN");
      }
    }

    const { project: other, owner: outsider } = await createTestProject();
    const theirs = callerFor(outsider).modelCards.projectSections;
    expect((await trpcErrorOf(theirs.list({ projectSlug: p.slug }))).code).toBe("NOT_FOUND");
    expect(await theirs.list({ projectSlug: other.slug })).toEqual([]);
    expect((await trpcErrorOf(theirs.rename({ projectSlug: other.slug, sectionId: review.id, title: "Defaced" }))).code).toBe("NOT_FOUND");
    expect((await trpcErrorOf(theirs.remove({ projectSlug: other.slug, sectionId: review.id }))).code).toBe("NOT_FOUND");
    // Nor can another project's card write text into this project's section.
    await callerFor(outsider).registry.models.create({ projectSlug: other.slug, name: "theirs" });
    const planted = callerFor(outsider).modelCards.save({ projectSlug: other.slug, modelName: "theirs", baseRevision: 0, sections: { [review.id]: "x" } });
    expect((await trpcErrorOf(planted)).code).toBe("BAD_REQUEST");
    expect(await callerFor(p.owner).modelCards.projectSections.list({ projectSlug: p.slug })).toEqual(before);
    expect(await auditOf(p.project.id)).toHaveLength(1);
  });
});
