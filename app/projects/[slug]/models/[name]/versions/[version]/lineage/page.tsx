import type { Metadata } from "next";
import { Suspense } from "react";
import { LineagePanel } from "@/components/lineage/lineage-panel";
import { LineageQueryForm } from "@/components/lineage/lineage-query-form";
import { lineageQueryOf, UI_MAX_DEPTH, type LineageQuery } from "@/components/lineage/query";
import { SeedsTree } from "@/components/lineage/seeds-tree";
import { seedsOf } from "@/components/lineage/seeds";
import { serverLayout } from "@/components/lineage/server-layout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { LineageGraph } from "@/server/services/lineage";
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

/** The whole upstream walk: what the seeds are read from. */
const SEEDS_QUERY: LineageQuery = { direction: "upstream", depth: UI_MAX_DEPTH };

/**
 * The seeds need the whole upstream walk and the run's reproduction (which reads its environment
 * files from the artifact store): streamed after the graph, so they never hold up the graph.
 */
async function VersionSeeds({ slug, node, runId, graph }: { slug: string; node: string; runId: string | null; graph: LineageGraph | null }) {
  const caller = await serverCaller();
  const [upstream, reproduction] = await Promise.all([
    graph ?? findOr404(() => caller.lineage.graph({ projectSlug: slug, node, ...SEEDS_QUERY })),
    runId ? caller.runs.reproduce({ projectSlug: slug, runId }) : null,
  ]);
  return <SeedsTree slug={slug} seeds={seedsOf(upstream, runId)} reproduction={reproduction} />;
}

/** Where a model version came from: its upstream graph by default, and its seeds (data, code, experiment, environment). */
export default async function ModelVersionLineagePage({ params, searchParams }: Props) {
  const { slug, name, version: versionSegment } = await params;
  const query = lineageQueryOf(await searchParams, "upstream");
  const { version, sourceRun } = await loadVersion(slug, modelNameOf(name), Number(versionSegment));
  const caller = await serverCaller();
  const node = `version:${version.modelName}/${version.version}`;
  const graph = await findOr404(() => caller.lineage.graph({ projectSlug: slug, node, ...query }));
  const layout = await serverLayout(graph);
  const seedsFromGraph = query.direction === SEEDS_QUERY.direction && query.depth === SEEDS_QUERY.depth;

  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <LineageQueryForm query={query} />
        <LineagePanel key={`${query.direction}:${query.depth}`} slug={slug} graph={graph} layout={layout} />
      </div>
      <Card>
        <CardHeader title="Seeds" description="What this version grew from: the data its runs read, the code, the experiment and the environment its run recorded." />
        <CardBody>
          <Suspense fallback={<p className="text-sm text-gray-500">Reading the seeds…</p>}>
            <VersionSeeds slug={slug} node={node} runId={sourceRun?.runId ?? null} graph={seedsFromGraph ? graph : null} />
          </Suspense>
        </CardBody>
      </Card>
    </div>
  );
}
