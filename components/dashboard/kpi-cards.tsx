import { Card, Metric, Text } from "@tremor/react";
import type { DashboardKpis } from "@/server/services/dashboard";

/** The four numbers a lead checks first. */
export function KpiCards({ kpis }: { kpis: DashboardKpis }) {
  const trend = kpis.runsLast7Days - kpis.runsPrevious7Days;
  const cards = [
    { label: "Runs, last 7 days", value: kpis.runsLast7Days.toLocaleString("en"), note: `${trend >= 0 ? "+" : ""}${trend} vs the week before` },
    {
      label: "Success rate, 30 days",
      value: kpis.successRate === null ? "—" : `${(kpis.successRate * 100).toFixed(1)}%`,
      note: "finished of finished, failed and killed",
    },
    { label: "Runs in progress", value: kpis.runsInProgress.toLocaleString("en"), note: "running or scheduled" },
    {
      label: "Registered models",
      value: kpis.registeredModels.toLocaleString("en"),
      note: `${kpis.productionVersions.toLocaleString("en")} ${kpis.productionVersions === 1 ? "version" : "versions"} in Production`,
    },
  ];
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {cards.map((card) => (
        <Card key={card.label} decoration="top" decorationColor="indigo" data-testid="kpi-card">
          <Text>{card.label}</Text>
          <Metric>{card.value}</Metric>
          <Text className="mt-1 text-xs">{card.note}</Text>
        </Card>
      ))}
    </div>
  );
}
