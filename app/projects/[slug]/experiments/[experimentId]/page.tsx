import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunsTable } from "@/components/tracking/runs-table";
import { serverCaller } from "@/server/trpc/rsc";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string; experimentId: string }> };

async function loadExperiment(slug: string, experimentId: string) {
  const experiments = await (await serverCaller()).experiments.list({ projectSlug: slug, includeDeleted: true });
  const experiment = experiments.find((entry) => entry.experimentId === experimentId);
  if (!experiment) notFound();
  return experiment;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, experimentId } = await params;
  return { title: (await loadExperiment(slug, experimentId)).name };
}

export default async function ExperimentPage({ params }: Params) {
  const { slug, experimentId } = await params;
  const experiment = await loadExperiment(slug, experimentId);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <Link href={`/projects/${slug}/experiments`} className="text-sm text-gray-500 hover:text-gray-700">
          Experiments
        </Link>
        <span className="text-gray-300">/</span>
        <h2 className="text-xl font-semibold text-gray-900">{experiment.name}</h2>
        {experiment.lifecycleStage === "deleted" ? <span className="text-sm text-red-600">deleted</span> : null}
      </div>
      <RunsTable slug={slug} experimentId={experimentId} />
    </div>
  );
}
