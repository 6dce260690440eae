"use client";

import { useQuery } from "@tanstack/react-query";
import { Card, Title } from "@tremor/react";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";
import { formatMetric } from "../tracking/format";
import { RunStatusBadge } from "../tracking/run-status";
import { runHref } from "../tracking/run-links";

/** The project's top runs by a chosen metric, higher or lower being better. */
export function BestRuns({ slug, metricKeys }: { slug: string; metricKeys: string[] }) {
  const trpc = useTRPC();
  const preferred = metricKeys.find((key) => /acc|auc|f1|score/i.test(key)) ?? metricKeys[0] ?? "";
  const [metricKey, setMetricKey] = useState(preferred);
  const [direction, setDirection] = useState<"max" | "min">(/loss|error/i.test(preferred) ? "min" : "max");
  const best = useQuery({
    ...trpc.dashboard.bestRuns.queryOptions({ projectSlug: slug, metricKey, direction, limit: 8 }),
    enabled: metricKey !== "",
  });
  return (
    <Card>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Title>Best runs</Title>
        <div className="flex items-center gap-2 text-sm">
          <select aria-label="Metric" className={cn(CONTROL_LOOK, "py-1 pl-2 pr-8")} value={metricKey} onChange={(event) => setMetricKey(event.target.value)}>
            {metricKeys.map((key) => (
              <option key={key} value={key}>
                {key}
              </option>
            ))}
          </select>
          <select
            aria-label="Direction"
            className={cn(CONTROL_LOOK, "py-1 pl-2 pr-8")}
            value={direction}
            onChange={(event) => setDirection(event.target.value as "max" | "min")}
          >
            <option value="max">highest first</option>
            <option value="min">lowest first</option>
          </select>
        </div>
      </div>
      {metricKeys.length === 0 ? <p className="mt-4 text-sm text-gray-500">No metrics logged yet.</p> : null}
      <ol className="mt-4 divide-y divide-gray-100" aria-label="Best runs">
        {best.data?.map((run, index) => (
          <li key={run.runId} className="flex items-center justify-between gap-3 py-2 text-sm">
            <span className="flex min-w-0 items-center gap-2">
              <span className="w-5 text-right text-gray-400">{index + 1}</span>
              <Link className="truncate font-medium text-indigo-600 hover:underline" href={runHref(slug, run.runId)}>
                {run.runName}
              </Link>
              <span className="truncate text-xs text-gray-500">{run.experimentName}</span>
              <RunStatusBadge status={run.status} />
            </span>
            <span className="font-mono tabular-nums text-gray-900">{formatMetric(run.value)}</span>
          </li>
        ))}
      </ol>
    </Card>
  );
}
