import type { ReactNode } from "react";
import { LineageTabsLayout } from "@/components/lineage/lineage-tabs-layout";
import { runHref } from "@/components/tracking/run-links";
import { RunStatusBadge } from "@/components/tracking/run-status";
import { loadRun } from "./_lib";

export default async function RunLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string; runId: string }> }) {
  const { slug, runId } = await params;
  const { run } = await loadRun(slug, runId);
  const base = runHref(slug, runId);
  return (
    <LineageTabsLayout
      label="Run"
      base={base}
      firstTab="Overview"
      align="center"
      heading={
        <>
          <h2 className="text-xl font-semibold text-gray-900">{run.name}</h2>
          <RunStatusBadge status={run.status} />
          {run.lifecycleStage === "deleted" ? <span className="text-sm text-red-600">deleted</span> : null}
          <code className="text-xs text-gray-500">{run.id}</code>
        </>
      }
    >
      {children}
    </LineageTabsLayout>
  );
}
