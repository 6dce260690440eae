"use client";

import { useQueries } from "@tanstack/react-query";
import { Card, LineChart, Title } from "@tremor/react";
import { useMemo } from "react";
import { useTRPC } from "@/lib/trpc-client";
import type { ComparedRun } from "@/server/services/compare";
import { drawable } from "../tracking/chart-math";
import { formatMetric } from "../tracking/format";
import { runLabels, SERIES_COLORS } from "./run-labels";

/** One metric's learning curves of every compared run on shared axes (downsampled per run). */
export function OverlaidCurves({ slug, runs, metricKey }: { slug: string; runs: ComparedRun[]; metricKey: string }) {
  const trpc = useTRPC();
  const labels = runLabels(runs);
  const histories = useQueries({
    queries: runs.map((run) => trpc.runs.history.queryOptions({ projectSlug: slug, runId: run.runId, key: metricKey, buckets: 300 })),
  });
  const ready = histories.every((history) => history.isSuccess);
  const dataKey = histories.map((history) => history.dataUpdatedAt).join(",");
  const data = useMemo(() => {
    if (!ready) return [];
    const byStep = new Map<number, Record<string, number | null>>();
    histories.forEach((history, index) => {
      for (const bucket of history.data ?? []) {
        const row = byStep.get(bucket.stepMax) ?? { step: bucket.stepMax };
        row[labels[index]!] = drawable(bucket.last);
        byStep.set(bucket.stepMax, row);
      }
    });
    return [...byStep.values()].sort((a, b) => a.step! - b.step!);
    // dataKey stands for the histories' contents.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, dataKey]);
  const present = labels.filter((label) => data.some((row) => row[label] !== undefined));
  return (
    <Card data-testid={`overlay-${metricKey}`}>
      <Title className="font-mono text-sm">{metricKey}</Title>
      {ready ? (
        <LineChart
          className="mt-2 h-56"
          data={data}
          index="step"
          categories={present}
          colors={[...SERIES_COLORS].slice(0, Math.max(present.length, 1))}
          connectNulls
          autoMinValue
          showAnimation={false}
          yAxisWidth={60}
          valueFormatter={formatMetric}
        />
      ) : (
        <div className="mt-2 h-56 animate-pulse rounded bg-gray-50" />
      )}
    </Card>
  );
}
