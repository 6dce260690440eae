import type { Tx } from "@/server/db/transaction";
import { unversionedDigest, type DatasetVersionFact } from "./dataset-versions";

type Direction = "input" | "output";

/** A dataset of the event, with the direction it was named in. */
export type Mention = DatasetVersionFact & { direction: Direction };

interface LinkedVersion {
  direction: Direction;
  id: string;
  name: string;
  digest: string;
}

const datasetKey = (id: string) => `dataset:${id}`;
const byKey = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The dataset versions the job run is already linked to, as input or output. */
async function linkedVersions(tx: Tx, jobKey: string): Promise<LinkedVersion[]> {
  return tx.$queryRaw<LinkedVersion[]>`
    SELECT e."kind" AS direction, v."id", v."name", v."digest"
    FROM "LineageEdge" e
    JOIN "DatasetVersion" v ON v."id" = substr(CASE WHEN e."kind" = 'input' THEN e."src" ELSE e."dst" END, 9)
    WHERE (e."dst" = ${jobKey} AND e."kind" = 'input') OR (e."src" = ${jobKey} AND e."kind" = 'output')`;
}

const mentionKey = (item: { direction: Direction; name: string }) => `${item.direction}\u0000${item.name}`;
const versionKey = (item: { name: string; digest: string }) => `${item.name}\u0000${item.digest}`;

/**
 * Which of the event's datasets the job run reads and writes, and which of its existing links they
 * replace. Producers often name an output without its version at START and with it at COMPLETE
 * (Spark on Delta or Iceberg): within one job run and direction, a versioned mention of a dataset
 * name replaces the unversioned one, whichever arrives first, so no phantom version stays linked.
 */
function plan(mentions: Mention[], linked: LinkedVersion[]) {
  const versionedNames = new Set(mentions.filter((mention) => mention.versioned).map(mentionKey));
  const linkedDigests = new Map<string, string[]>();
  for (const link of linked) {
    const key = mentionKey(link);
    linkedDigests.set(key, [...(linkedDigests.get(key) ?? []), link.digest]);
  }
  const keep = mentions.filter(
    (mention) =>
      mention.versioned ||
      (!versionedNames.has(mentionKey(mention)) && (linkedDigests.get(mentionKey(mention)) ?? []).every((digest) => digest === mention.digest)),
  );
  const superseded = new Set(
    mentions.filter((mention) => mention.versioned).map((mention) => `${mentionKey(mention)}\u0000${unversionedDigest(mention.namespace, mention.name)}`),
  );
  const replaced = linked.filter((link) => superseded.has(`${mentionKey(link)}\u0000${link.digest}`));
  return { keep, replaced };
}

/** Creates the versions not seen before (a version first logged elsewhere gains the schema); their ids by name and digest. */
async function upsertVersions(tx: Tx, projectId: string, createdBy: string | null, mentions: Mention[]): Promise<Map<string, string>> {
  const unique = [...new Map(mentions.map((mention) => [versionKey(mention), mention])).values()].sort(byKey(versionKey));
  if (unique.length === 0) return new Map();
  // Sorted, so concurrent events lock shared versions in the same order.
  const rows = await tx.$queryRaw<{ id: string; name: string; digest: string }[]>`
    INSERT INTO "DatasetVersion" ("id", "projectId", "name", "digest", "sourceType", "source", "schema", "origin", "createdBy")
    SELECT gen_random_uuid()::text, ${projectId}, u.name, u.digest, 'openlineage', u.source, u.schema, 'openlineage', ${createdBy}::text
    FROM unnest(${unique.map((m) => m.name)}::text[], ${unique.map((m) => m.digest)}::text[], ${unique.map((m) => m.source)}::text[],
                ${unique.map((m) => m.schema)}::text[]) WITH ORDINALITY AS u(name, digest, source, schema, position)
    ORDER BY u.position
    ON CONFLICT ("projectId", "name", "digest") DO UPDATE
      SET "schema" = coalesce("DatasetVersion"."schema", EXCLUDED."schema"),
          "createdBy" = coalesce("DatasetVersion"."createdBy", EXCLUDED."createdBy")
    RETURNING "id", "name", "digest"`;
  return new Map(rows.map((row) => [versionKey(row), row.id]));
}

async function insertEdges(tx: Tx, projectId: string, edges: { src: string; dst: string; kind: Direction }[]): Promise<void> {
  const edgeKey = (edge: { src: string; dst: string }) => `${edge.src}\u0000${edge.dst}`;
  const unique = [...new Map(edges.map((edge) => [edgeKey(edge), edge])).values()].sort(byKey(edgeKey));
  if (unique.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "LineageEdge" ("projectId", "src", "dst", "kind")
    SELECT ${projectId}, u.src, u.dst, u.kind
    FROM unnest(${unique.map((e) => e.src)}::text[], ${unique.map((e) => e.dst)}::text[], ${unique.map((e) => e.kind)}::text[])
      WITH ORDINALITY AS u(src, dst, kind, position)
    ORDER BY u.position
    ON CONFLICT ("src", "dst") DO NOTHING`;
}

/** Drops the replaced links, and the replaced versions themselves once nothing links to them. */
async function unlink(tx: Tx, jobKey: string, replaced: LinkedVersion[]): Promise<void> {
  if (replaced.length === 0) return;
  for (const link of replaced) {
    const [src, dst] = link.direction === "input" ? [datasetKey(link.id), jobKey] : [jobKey, datasetKey(link.id)];
    await tx.$executeRaw`DELETE FROM "LineageEdge" WHERE "src" = ${src} AND "dst" = ${dst}`;
  }
  const ids = [...new Set(replaced.map((link) => link.id))].sort();
  // Locked first: an event linking one of them meanwhile either commits before the check below sees
  // its edge, or waits and then creates the version afresh.
  await tx.$queryRaw`SELECT "id" FROM "DatasetVersion" WHERE "id" = ANY(${ids}::text[]) ORDER BY "id" FOR UPDATE`;
  await tx.$executeRaw`
    DELETE FROM "DatasetVersion" v
    WHERE v."id" = ANY(${ids}::text[]) AND v."origin" = 'openlineage'
      AND NOT EXISTS (SELECT 1 FROM "LineageEdge" e WHERE e."src" = 'dataset:' || v."id")
      AND NOT EXISTS (SELECT 1 FROM "LineageEdge" e WHERE e."dst" = 'dataset:' || v."id")`;
}

/**
 * Dataset versions for the event's inputs and outputs, and the edges dataset → job run ("input") and
 * job run → dataset ("output"). A job that reads its own output gets both edges: the graph's
 * traversals stop at cycles.
 */
export async function linkDatasets(
  tx: Tx,
  input: { projectId: string; jobRunId: string; createdBy: string | null; mentions: Mention[] },
): Promise<void> {
  if (input.mentions.length === 0) return;
  const jobKey = `job:${input.jobRunId}`;
  const { keep, replaced } = plan(input.mentions, await linkedVersions(tx, jobKey));
  const ids = await upsertVersions(tx, input.projectId, input.createdBy, keep);
  await insertEdges(
    tx,
    input.projectId,
    keep.map((mention) => {
      const dataset = datasetKey(ids.get(versionKey(mention))!);
      return mention.direction === "input"
        ? { src: dataset, dst: jobKey, kind: "input" as const }
        : { src: jobKey, dst: dataset, kind: "output" as const };
    }),
  );
  await unlink(tx, jobKey, replaced);
}
