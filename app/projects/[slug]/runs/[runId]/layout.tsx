import type { ReactNode } from "react";
import { Tabs } from "@/components/projects/project-tabs";
import { runHref } from "@/components/tracking/run-links";
import { RunStatusBadge } from "@/components/tracking/run-status";
import { loadRun } from "./_lib";

export default async function RunLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string; runId: string }> }) {
  const { slug, runId } = await params;
  const { run } = await loadRun(slug, runId);
  const base = runHref(slug, runId);
  return (
    <div className="space-y-6">
      <div className="space-y-4 border-b border-gray-200">
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="text-xl font-semibold text-gray-900">{run.name}</h2>
          <RunStatusBadge status={run.status} />
          {run.lifecycleStage === "deleted" ? <span className="text-sm text-red-600">deleted</span> : null}
          <code className="text-xs text-gray-500">{run.id}</code>
        </div>
        <Tabs
          label="Run"
          tabs={[
            { href: base, label: "Overview" },
            { href: `${base}/lineage`, label: "Lineage" },
          ]}
        />
      </div>
      {children}
    </div>
  );
}
