"use client";

import { BarChart, Card, Title } from "@tremor/react";
import type { RunsPerDay } from "@/server/services/dashboard";

const STATUSES = ["FINISHED", "FAILED", "KILLED", "RUNNING"] as const;
const LABELS: Record<(typeof STATUSES)[number], string> = { FINISHED: "finished", FAILED: "failed", KILLED: "killed", RUNNING: "running" };

export function RunsPerDayChart({ series }: { series: RunsPerDay[] }) {
  const data = series.map((entry) => ({
    day: entry.day.slice(5),
    ...Object.fromEntries(STATUSES.map((status) => [LABELS[status], entry.counts[status] + (status === "RUNNING" ? entry.counts.SCHEDULED : 0)])),
  }));
  return (
    <Card>
      <Title>Runs per day</Title>
      <BarChart
        className="mt-4 h-64"
        data={data}
        index="day"
        categories={STATUSES.map((status) => LABELS[status])}
        colors={["emerald", "rose", "amber", "blue"]}
        stack
        allowDecimals={false}
        showAnimation={false}
        yAxisWidth={36}
      />
    </Card>
  );
}
