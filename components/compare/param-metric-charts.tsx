"use client";

import { Card, ScatterChart, Title } from "@tremor/react";
import { useState } from "react";
import type { Comparison } from "@/server/services/compare";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";
import { formatMetric } from "../tracking/format";
import { runLabels } from "./run-labels";

const numeric = (value: string | null) => (value !== null && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : null);

/** A parallel-coordinates view of the differing params against a chosen metric, and a param/metric scatter. */
export function ParamMetricCharts({ comparison }: { comparison: Comparison }) {
  const { runs, params, metrics } = comparison;
  const labels = runLabels(runs);
  const differing = params.filter((param) => param.differs);
  // A score or a validation loss says more about a sweep than whatever key sorts first.
  const preferred = metrics.find((entry) => /acc|auc|f1|score/i.test(entry.key)) ?? metrics.find((entry) => /val.*loss/i.test(entry.key)) ?? metrics[0];
  const [metricKey, setMetricKey] = useState(preferred?.key ?? "");
  const numericParams = differing.filter((param) => param.values.every((value) => value === null || numeric(value) !== null));
  const [scatterParam, setScatterParam] = useState(numericParams[0]?.key ?? "");
  const metric = metrics.find((entry) => entry.key === metricKey);
  if (!metric) return null;
  const lastValues = metric.values.map((value) => (value && Number.isFinite(value.last) ? value.last : null));
  const scatterValues = params.find((param) => param.key === scatterParam)?.values ?? [];
  const scatterData = runs.flatMap((_, index) => {
    const x = numeric(scatterValues[index] ?? null);
    const y = lastValues[index];
    return x === null || y === null || y === undefined ? [] : [{ run: labels[index]!, [scatterParam]: x, [metricKey]: y }];
  });
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Title>Params → metric</Title>
          <select aria-label="Metric for charts" className={cn(CONTROL_LOOK, "py-1 pl-2 pr-8")} value={metricKey} onChange={(event) => setMetricKey(event.target.value)}>
            {metrics.map((entry) => (
              <option key={entry.key} value={entry.key}>
                {entry.key}
              </option>
            ))}
          </select>
        </div>
        {differing.length === 0 ? (
          <p className="mt-4 text-sm text-gray-500">These runs share every param.</p>
        ) : (
          <ParallelCoordinates axes={[...differing.map((param) => ({ key: param.key, values: param.values })), { key: metricKey, values: lastValues.map((value) => (value === null ? null : String(value))) }]} labels={labels} />
        )}
      </Card>
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Title>Scatter</Title>
          <select aria-label="Param for scatter" className={cn(CONTROL_LOOK, "py-1 pl-2 pr-8")} value={scatterParam} onChange={(event) => setScatterParam(event.target.value)}>
            {numericParams.map((param) => (
              <option key={param.key} value={param.key}>
                {param.key}
              </option>
            ))}
          </select>
        </div>
        {scatterParam && scatterData.length ? (
          <ScatterChart
            className="mt-4 h-64"
            data={scatterData}
            category="run"
            x={scatterParam}
            y={metricKey}
            showAnimation={false}
            showLegend={false}
            autoMinXValue
            autoMinYValue
            valueFormatter={{ x: (value: number) => formatMetric(value), y: (value: number) => formatMetric(value) }}
          />
        ) : (
          <p className="mt-4 text-sm text-gray-500">No numeric param differs between these runs.</p>
        )}
      </Card>
    </div>
  );
}

const WIDTH = 560;
const HEIGHT = 240;
const PAD = { top: 24, bottom: 28, side: 40 };
const LINE_COLORS = ["#3b82f6", "#10b981", "#8b5cf6", "#f59e0b", "#f43f5e", "#06b6d4", "#d946ef", "#84cc16", "#f97316", "#6366f1"];

/** Each axis is a param (numbers scaled, other values spread evenly) and the last is the metric. */
function ParallelCoordinates({ axes, labels }: { axes: { key: string; values: (string | null)[] }[]; labels: string[] }) {
  const x = (index: number) => PAD.side + (index * (WIDTH - 2 * PAD.side)) / Math.max(axes.length - 1, 1);
  const scales = axes.map((axis) => {
    const numbers = axis.values.map(numeric);
    if (numbers.every((value, index) => value !== null || axis.values[index] === null)) {
      const present = numbers.filter((value): value is number => value !== null);
      const [low, high] = [Math.min(...present), Math.max(...present)];
      return (value: string | null) => (numeric(value) === null ? null : high === low ? 0.5 : (numeric(value)! - low) / (high - low));
    }
    const categories = [...new Set(axis.values.filter((value): value is string => value !== null))].sort();
    return (value: string | null) => (value === null ? null : categories.length === 1 ? 0.5 : categories.indexOf(value) / (categories.length - 1));
  });
  const y = (share: number) => PAD.top + (1 - share) * (HEIGHT - PAD.top - PAD.bottom);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="mt-4 w-full" role="img" aria-label="Parallel coordinates of params and metric">
      {axes.map((axis, index) => (
        <g key={axis.key}>
          <line x1={x(index)} x2={x(index)} y1={PAD.top} y2={HEIGHT - PAD.bottom} stroke="#d1d5db" />
          <text x={x(index)} y={HEIGHT - 8} textAnchor="middle" className="fill-gray-600 text-[10px]">
            {axis.key.length > 14 ? `${axis.key.slice(0, 13)}…` : axis.key}
          </text>
        </g>
      ))}
      {labels.map((label, run) => {
        const points = axes.flatMap((axis, index) => {
          const share = scales[index]!(axis.values[run] ?? null);
          return share === null ? [] : [`${x(index)},${y(share)}`];
        });
        return (
          <polyline key={label} points={points.join(" ")} fill="none" stroke={LINE_COLORS[run % LINE_COLORS.length]} strokeWidth={1.5} opacity={0.8}>
            <title>{label}</title>
          </polyline>
        );
      })}
    </svg>
  );
}
