import type { Metadata } from "next";
import Link from "next/link";
import { MetricSummary } from "@/components/compare/metric-summary";
import { OverlaidCurves } from "@/components/compare/overlaid-curves";
import { ParamDiff } from "@/components/compare/param-diff";
import { ParamMetricCharts } from "@/components/compare/param-metric-charts";
import { runHref } from "@/components/tracking/run-links";
import { RunStatusBadge } from "@/components/tracking/run-status";
import { ErrorMessage } from "@/components/ui/error-message";
import { serverCaller } from "@/server/trpc/rsc";
import { loadProject } from "../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Compare runs" };

/** Curves are drawn for at most this many metrics; the summary table lists them all. */
const MAX_CURVES = 12;

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ runs?: string }> };

export default async function ComparePage({ params, searchParams }: Props) {
  const project = await loadProject((await params).slug);
  const runIds = ((await searchParams).runs ?? "").split(",").map((id) => id.trim()).filter(Boolean);
  let comparison;
  try {
    comparison = await (await serverCaller()).compare.runs({ projectSlug: project.slug, runIds });
  } catch (error) {
    return <ErrorMessage error={error}>{runIds.length < 2 ? "Choose 2 to 20 runs to compare (select them in a runs table)." : undefined}</ErrorMessage>;
  }
  const { runs, metrics } = comparison;
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold text-gray-900">Comparing {runs.length} runs</h2>
        <ul className="mt-2 flex flex-wrap gap-3 text-sm">
          {runs.map((run) => (
            <li key={run.runId} className="flex items-center gap-1.5">
              <Link className="font-medium text-indigo-600 hover:underline" href={runHref(project.slug, run.runId)}>
                {run.name}
              </Link>
              <RunStatusBadge status={run.status} />
            </li>
          ))}
        </ul>
      </div>
      <section className="space-y-2">
        <h3 className="text-base font-semibold text-gray-900">Parameters</h3>
        <ParamDiff runs={runs} params={comparison.params} />
      </section>
      <section className="space-y-2">
        <h3 className="text-base font-semibold text-gray-900">Metrics</h3>
        <MetricSummary runs={runs} metrics={metrics} />
      </section>
      {metrics.length ? <ParamMetricCharts comparison={comparison} /> : null}
      <section className="space-y-2">
        <h3 className="text-base font-semibold text-gray-900">Learning curves</h3>
        <div className="grid gap-4 md:grid-cols-2">
          {metrics.slice(0, MAX_CURVES).map((metric) => (
            <OverlaidCurves key={metric.key} slug={project.slug} runs={runs} metricKey={metric.key} />
          ))}
        </div>
      </section>
    </div>
  );
}
