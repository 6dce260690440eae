import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as exportCard } from "@/app/api/v1/models/[name]/versions/[version]/card.md/route";
import { db } from "@/server/db/client";
import { addTestMember, callerFor, createProjectWithToken, mlflowRequest, trpcErrorOf, uniqueSuffix } from "../factories";

/** Model cards: inheritance from the model to its versions, revisions, stale edits, facts, export. */

let project: Awaited<ReturnType<typeof createProjectWithToken>>;
let runId: string;

async function registeredVersion(name = `card-${uniqueSuffix()}`) {
  const asToken = { projectSlug: project.project.slug, token: project.plaintext };
  await mlflowRequest(asToken, "POST", "registered-models/create", { name, tags: [{ key: "team", value: "vision" }] });
  await mlflowRequest(asToken, "POST", "model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId });
  return name;
}

beforeAll(async () => {
  project = await createProjectWithToken("MEMBER", ["read", "write"]);
  const asToken = { projectSlug: project.project.slug, token: project.plaintext };
  const run = await mlflowRequest(asToken, "POST", "runs/create", { experiment_id: "0" });
  runId = (run.body.run as { info: { run_id: string } }).info.run_id;
  await mlflowRequest(asToken, "POST", "runs/log-batch", { run_id: runId, metrics: [{ key: "accuracy", value: 0.93, timestamp: 1, step: 4 }] });
  await mlflowRequest(asToken, "POST", "runs/log-inputs", {
    run_id: runId,
    datasets: [
      {
        tags: [{ key: "mlflow.data.context", value: "training" }],
        dataset: { name: "flowers", digest: "d41d8cd9", source_type: "s3", source: "s3://data/flowers" },
      },
    ],
  });
});

describe("model cards", () => {
  it("saves revisions, lets a version inherit the model's sections and override some, and records each save", async () => {
    const name = await registeredVersion();
    const cards = callerFor(project.member).modelCards;
    const slug = project.project.slug;
    const modelCard = await cards.save({
      projectSlug: slug,
      modelName: name,
      baseRevision: 0,
      sections: { summary: "Classifies flowers.", limitations: "Only daylight photos.", "custom:Fairness": "Checked." },
      changeSummary: "first draft",
    });
    expect(modelCard.revision).toBe(1);
    const version = await cards.save({ projectSlug: slug, modelName: name, version: 1, baseRevision: 0, sections: { summary: "Version 1 of the classifier." } });
    expect(version).toMatchObject({
      revision: 1,
      sections: { summary: "Version 1 of the classifier.", limitations: "Only daylight photos.", "custom:Fairness": "Checked." },
      ownSections: { summary: "Version 1 of the classifier." },
    });
    expect(version.inherited.sort()).toEqual(["custom:Fairness", "limitations"]);
    // Clearing the version's own section brings the model's text back.
    const cleared = await cards.save({ projectSlug: slug, modelName: name, version: 1, baseRevision: 1, sections: { summary: "" } });
    expect(cleared.sections.summary).toBe("Classifies flowers.");
    expect((await cards.revisions({ projectSlug: slug, modelName: name, version: 1 })).map((r) => r.revision)).toEqual([2, 1]);
    expect((await cards.revision({ projectSlug: slug, modelName: name, version: 1, revision: 1 })).sections).toEqual({
      summary: "Version 1 of the classifier.",
    });
    const model = await db().registeredModel.findFirstOrThrow({ where: { projectId: project.project.id, name } });
    const events = await db().registryEvent.findMany({ where: { modelId: model.id, kind: "card.update" }, orderBy: { id: "asc" } });
    expect(events.map((event) => [event.version, event.actorLabel, event.after])).toEqual([
      [null, project.member.email, { revision: 1, changeSummary: "first draft" }],
      [1, project.member.email, { revision: 1, changeSummary: "" }],
      [1, project.member.email, { revision: 2, changeSummary: "" }],
    ]);
  });

  it("refuses an edit made on a stale revision, keeping the other person's text", async () => {
    const name = await registeredVersion();
    const slug = project.project.slug;
    const alice = callerFor(project.member).modelCards;
    const bob = callerFor(await addTestMember(project.project.id, "MEMBER")).modelCards;
    await alice.save({ projectSlug: slug, modelName: name, baseRevision: 0, sections: { summary: "Alice's text" } });
    const refused = await trpcErrorOf(bob.save({ projectSlug: slug, modelName: name, baseRevision: 0, sections: { summary: "Bob's text" } }));
    expect(refused).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/saved by .* after you opened it/) });
    expect((await alice.get({ projectSlug: slug, modelName: name })).sections).toEqual({ summary: "Alice's text" });
  });

  it("refuses unknown sections and viewers, changing nothing", async () => {
    const name = await registeredVersion();
    const slug = project.project.slug;
    const cards = callerFor(project.member).modelCards;
    expect((await trpcErrorOf(cards.save({ projectSlug: slug, modelName: name, baseRevision: 0, sections: { secrets: "x" } }))).code).toBe("BAD_REQUEST");
    const viewer = callerFor(await addTestMember(project.project.id, "VIEWER")).modelCards;
    expect((await viewer.get({ projectSlug: slug, modelName: name })).revision).toBe(0);
    expect((await trpcErrorOf(viewer.save({ projectSlug: slug, modelName: name, baseRevision: 0, sections: { summary: "x" } }))).code).toBe("FORBIDDEN");
    expect(await db().modelCardRevision.count({ where: { model: { name, projectId: project.project.id } } })).toBe(0);
  });

  it("offers training data and evaluation text from the source run's datasets and metrics", async () => {
    const name = await registeredVersion();
    const facts = await callerFor(project.member).modelCards.facts({ projectSlug: project.project.slug, modelName: name, version: 1 });
    expect(facts.trainingData).toContain("training: **flowers**, digest `d41d8cd9`, source s3 `s3://data/flowers`");
    expect(facts.trainingData).toContain("fact: dataset flowers@d41d8cd9");
    expect(facts.evaluation).toContain(`| accuracy | 0.93 | 4 | run ${runId} |`);
  });

  it("exports a version's card as markdown with YAML front matter, for this project's token only", async () => {
    const name = await registeredVersion();
    const slug = project.project.slug;
    await callerFor(project.member).modelCards.save({ projectSlug: slug, modelName: name, baseRevision: 0, sections: { summary: "Flowers.", owners: "vision team" } });
    const response = await exportCard(new Request(`http://t/api/v1/models/${name}/versions/1/card.md`, { headers: { authorization: `Bearer ${project.plaintext}` } }), {
      params: Promise.resolve({ name, version: "1" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const text = await response.text();
    const [, frontMatter, body] = text.split("---\n");
    expect(parse(frontMatter!)).toMatchObject({ model_name: name, version: 1, stage: "None", tags: { team: "vision" }, source_run_id: runId, card_revision: 0 });
    expect(body).toContain(`# ${name} v1`);
    expect(body!.indexOf("## Summary\n\nFlowers.")).toBeLessThan(body!.indexOf("## Owners\n\nvision team"));

    const other = await createProjectWithToken("MEMBER", ["read"]);
    const outside = await exportCard(new Request(`http://t/api/v1/models/${name}/versions/1/card.md`, { headers: { authorization: `Bearer ${other.plaintext}` } }), {
      params: Promise.resolve({ name, version: "1" }),
    });
    expect(outside.status).toBe(404);
    const bad = await exportCard(new Request(`http://t/x`, { headers: { authorization: `Bearer ${project.plaintext}` } }), {
      params: Promise.resolve({ name, version: "one" }),
    });
    expect(bad.status).toBe(400);
  });
});
