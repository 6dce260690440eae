import { Card, Metric, Text } from "@tremor/react";
import Link from "next/link";
import type { DashboardKpis } from "@/server/services/dashboard";

/** The numbers a lead checks first; pending approvals link to the requests inbox. */
export function KpiCards({ kpis, pendingApprovals, requestsHref }: { kpis: DashboardKpis; pendingApprovals: number; requestsHref: string }) {
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
    {
      label: "Pending approvals",
      value: pendingApprovals.toLocaleString("en"),
      note: "promotion requests waiting",
      href: requestsHref,
    },
  ];
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
      {cards.map((card) => (
        <Card key={card.label} decoration="top" decorationColor="indigo" data-testid="kpi-card">
          <Text>{"href" in card && card.href ? <Link className="hover:text-indigo-600 hover:underline" href={card.href}>{card.label}</Link> : card.label}</Text>
          <Metric>{card.value}</Metric>
          <Text className="mt-1 text-xs">{card.note}</Text>
        </Card>
      ))}
    </div>
  );
}
