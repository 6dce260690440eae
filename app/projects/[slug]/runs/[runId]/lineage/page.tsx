import type { Metadata } from "next";
import { LineagePanel } from "@/components/lineage/lineage-panel";
import { LineageQueryForm } from "@/components/lineage/lineage-query-form";
import { serverLayout } from "@/components/lineage/server-layout";
import { lineageQueryOf } from "@/components/lineage/query";
import { findOr404, serverCaller } from "@/server/trpc/rsc";
import { loadRun } from "../_lib";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string; runId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, runId } = await params;
  const { run } = await loadRun(slug, runId);
  return { title: `Lineage · ${run.name || runId}` };
}

/** The run's lineage: what it read and descends from, and what it produced, both ways by default. */
export default async function RunLineagePage({ params, searchParams }: Props) {
  const { slug, runId } = await params;
  const query = lineageQueryOf(await searchParams, "both");
  const caller = await serverCaller();
  const graph = await findOr404(() => caller.lineage.graph({ projectSlug: slug, node: `run:${runId}`, ...query }));
  const layout = await serverLayout(graph);
  return (
    <div className="space-y-3">
      <LineageQueryForm query={query} />
      <LineagePanel key={`${query.direction}:${query.depth}`} slug={slug} graph={graph} layout={layout} />
    </div>
  );
}
