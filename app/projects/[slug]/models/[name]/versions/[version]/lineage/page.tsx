import type { Metadata } from "next";
import { LineagePanel } from "@/components/lineage/lineage-panel";
import { LineageQueryForm } from "@/components/lineage/lineage-query-form";
import { serverLayout } from "@/components/lineage/server-layout";
import { lineageQueryOf, UI_MAX_DEPTH } from "@/components/lineage/query";
import { SeedsTree } from "@/components/lineage/seeds-tree";
import { CODE_TAG_KEYS, seedsOf } from "@/components/lineage/seeds";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RUN_NOTE_TAG } from "@/lib/schemas/tracking-ui";
import { findOr404, serverCaller } from "@/server/trpc/rsc";
import { loadVersion, modelNameOf } from "../../../../_lib";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ slug: string; name: string; version: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, name, version } = await params;
  const detail = await loadVersion(slug, modelNameOf(name), Number(version));
  return { title: `Lineage · ${detail.version.modelName} v${detail.version.version}` };
}

/**
 * Where a model version came from: its upstream graph by default, and its seeds (data, code,
 * experiment, environment) read from the whole upstream walk and its source run.
 */
export default async function ModelVersionLineagePage({ params, searchParams }: Props) {
  const { slug, name, version: versionSegment } = await params;
  const query = lineageQueryOf(await searchParams, "upstream");
  const { version, sourceRun } = await loadVersion(slug, modelNameOf(name), Number(versionSegment));
  const caller = await serverCaller();
  const node = `version:${version.modelName}/${version.version}`;
  const seedsQuery = { direction: "upstream", depth: UI_MAX_DEPTH } as const;
  const sameQuery = query.direction === seedsQuery.direction && query.depth === seedsQuery.depth;
  const [graph, upstream, run] = await Promise.all([
    findOr404(() => caller.lineage.graph({ projectSlug: slug, node, ...query })),
    sameQuery ? null : findOr404(() => caller.lineage.graph({ projectSlug: slug, node, ...seedsQuery })),
    sourceRun ? findOr404(() => caller.runs.get({ projectSlug: slug, runId: sourceRun.runId })) : null,
  ]);
  const tags = run?.run.tags ?? [];
  const environment = tags.filter((tag) => !CODE_TAG_KEYS.has(tag.key) && tag.key !== RUN_NOTE_TAG);

  const layout = await serverLayout(graph);
  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <LineageQueryForm query={query} />
        <LineagePanel key={`${query.direction}:${query.depth}`} slug={slug} graph={graph} layout={layout} />
      </div>
      <Card>
        <CardHeader title="Seeds" description="What this version grew from: the data its runs read, the code, the experiment and the environment the run recorded." />
        <CardBody>
          <SeedsTree slug={slug} seeds={seedsOf(upstream ?? graph, sourceRun?.runId ?? null, tags)} environment={environment} />
        </CardBody>
      </Card>
    </div>
  );
}
