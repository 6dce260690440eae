import type { Metadata } from "next";
import { LineagePanel } from "@/components/lineage/lineage-panel";
import { LineageQueryForm } from "@/components/lineage/lineage-query-form";
import { serverLayout } from "@/components/lineage/server-layout";
import { lineageQueryOf } from "@/components/lineage/query";
import { findOr404, serverCaller } from "@/server/trpc/rsc";
import { datasetNameOf, loadDataset } from "../../_lib";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string; name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, name } = await params;
  return { title: `Lineage · ${(await loadDataset(slug, datasetNameOf(name))).name}` };
}

/** One version's lineage (`?digest=`, the newest by default): downstream by default, what was made from it. */
export default async function DatasetLineagePage({ params, searchParams }: Props) {
  const { slug, name } = await params;
  const search = await searchParams;
  const dataset = await loadDataset(slug, datasetNameOf(name));
  const asked = typeof search.digest === "string" ? search.digest : undefined;
  const version = dataset.versions.find((candidate) => candidate.digest === asked) ?? dataset.versions[0];
  if (!version) return <p className="text-sm text-gray-500">This dataset has no versions.</p>;
  const query = lineageQueryOf(search, "downstream");
  const caller = await serverCaller();
  const graph = await findOr404(() => caller.lineage.graph({ projectSlug: slug, node: `dataset:${dataset.name}@${version.digest}`, ...query }));
  const layout = await serverLayout(graph);
  return (
    <div className="space-y-3">
      <LineageQueryForm query={query} versions={dataset.versions.map(({ digest }) => ({ digest, selected: digest === version.digest }))} />
      <LineagePanel key={`${version.digest}:${query.direction}:${query.depth}`} slug={slug} graph={graph} layout={layout} />
    </div>
  );
}
