"use client";

import { useState } from "react";
import type { XAxisMode } from "./chart-math";
import { MetricChart, type ChartSettings } from "./metric-chart";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";

const X_AXES: { value: XAxisMode; label: string }[] = [
  { value: "step", label: "Step" },
  { value: "wall", label: "Wall time" },
  { value: "relative", label: "Relative time" },
];

/** Every metric of a run as a chart, with shared axis, smoothing and scale controls. */
export function RunCharts({ slug, runId, runStart, metricKeys }: { slug: string; runId: string; runStart: number; metricKeys: string[] }) {
  const [settings, setSettings] = useState<ChartSettings>({ xAxis: "step", smoothing: 0, logScale: false });
  if (metricKeys.length === 0) return <p className="text-sm text-gray-500">This run has logged no metrics.</p>;
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-4 text-sm text-gray-700">
        <label className="flex items-center gap-2">
          X axis
          <select
            aria-label="X axis"
            className={cn(CONTROL_LOOK, "py-1 pl-2 pr-8")}
            value={settings.xAxis}
            onChange={(event) => setSettings({ ...settings, xAxis: event.target.value as XAxisMode })}
          >
            {X_AXES.map((axis) => (
              <option key={axis.value} value={axis.value}>
                {axis.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          Smoothing
          <input
            aria-label="Smoothing"
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={settings.smoothing}
            onChange={(event) => setSettings({ ...settings, smoothing: Number(event.target.value) })}
          />
          <span className="w-8 tabular-nums">{settings.smoothing.toFixed(2)}</span>
        </label>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={settings.logScale}
            onChange={(event) => setSettings({ ...settings, logScale: event.target.checked })}
          />
          Log scale
        </label>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        {metricKeys.map((key) => (
          <MetricChart key={key} slug={slug} runId={runId} metricKey={key} runStart={runStart} settings={settings} />
        ))}
      </div>
    </div>
  );
}
