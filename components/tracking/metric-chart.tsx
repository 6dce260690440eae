"use client";

import { LineChart } from "@tremor/react";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { drawable, smooth, toLog, xLabel, type XAxisMode } from "./chart-math";
import { formatMetric } from "./format";

export interface ChartSettings {
  xAxis: XAxisMode;
  smoothing: number;
  logScale: boolean;
}

/** One metric of one run, from the bounded downsampled history (never the raw points). */
export function MetricChart({
  slug,
  runId,
  metricKey,
  runStart,
  settings,
}: {
  slug: string;
  runId: string;
  metricKey: string;
  runStart: number;
  settings: ChartSettings;
}) {
  const trpc = useTRPC();
  const history = useQuery(trpc.runs.history.queryOptions({ projectSlug: slug, runId, key: metricKey, buckets: 500 }));
  const data = useMemo(() => {
    const buckets = history.data ?? [];
    const values = smooth(buckets.map((bucket) => drawable(bucket.last)), settings.smoothing);
    return buckets.map((bucket, index) => ({
      x: xLabel(bucket, settings.xAxis, runStart),
      [metricKey]: settings.logScale ? toLog(values[index] ?? null) : values[index],
    }));
  }, [history.data, settings, runStart, metricKey]);

  return (
    <figure className="rounded-lg border border-gray-200 bg-white p-4" data-testid={`metric-chart-${metricKey}`}>
      <figcaption className="mb-2 flex items-baseline justify-between gap-2">
        <span className="truncate font-mono text-sm font-medium text-gray-900">{metricKey}</span>
        {history.data?.length ? (
          <span className="text-xs text-gray-500">last {formatMetric(history.data.at(-1)!.last)}</span>
        ) : null}
      </figcaption>
      {history.isError ? (
        <p className="text-sm text-red-600">{history.error.message}</p>
      ) : history.isPending ? (
        <div className="h-52 animate-pulse rounded bg-gray-50" />
      ) : (
        <LineChart
          className="h-52"
          data={data}
          index="x"
          categories={[metricKey]}
          colors={["blue"]}
          showLegend={false}
          showAnimation={false}
          connectNulls
          autoMinValue
          yAxisWidth={60}
          valueFormatter={(value) => formatMetric(settings.logScale ? 10 ** value : value)}
        />
      )}
    </figure>
  );
}
