import Link from "next/link";
import type { RouterOutputs } from "@/lib/router-outputs";
import { formatDateTime } from "../ui/format";
import { formatDuration } from "./format";
import { RunStatusBadge } from "./run-status";
import { experimentHref, runHref } from "./run-links";

type RunDetail = RouterOutputs["runs"]["get"];

const tagValue = (detail: RunDetail, key: string) => detail.run.tags.find((tag) => tag.key === key)?.value;

/** Status, timing, who ran it and from which source: the facts above the fold of the run page. */
export function RunOverview({ slug, detail }: { slug: string; detail: RunDetail }) {
  const { run } = detail;
  const commit = tagValue(detail, "mlflow.source.git.commit");
  const facts: [string, React.ReactNode][] = [
    ["Status", <RunStatusBadge key="status" status={run.status} />],
    ["Started", formatDateTime(new Date(run.startTime))],
    ["Duration", formatDuration(run.startTime, run.endTime)],
    ["User", run.userId || tagValue(detail, "mlflow.user") || "—"],
    [
      "Experiment",
      <Link key="experiment" className="text-indigo-600 hover:underline" href={experimentHref(slug, run.experimentId)}>
        {detail.experimentName}
      </Link>,
    ],
    ["Entry point", tagValue(detail, "mlflow.source.name") ?? "—"],
    ["Git commit", commit ? <code key="commit" title={commit}>{commit.slice(0, 12)}</code> : "—"],
    ["Branch", tagValue(detail, "mlflow.source.git.branch") ?? "—"],
    ["Repository", tagValue(detail, "mlflow.source.git.repoURL") ?? "—"],
    ["Source type", tagValue(detail, "mlflow.source.type") ?? "—"],
  ];
  if (detail.parent) {
    facts.push([
      "Parent run",
      <Link key="parent" className="text-indigo-600 hover:underline" href={runHref(slug, detail.parent.runId)}>
        {detail.parent.name}
      </Link>,
    ]);
  }
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3 lg:grid-cols-5">
      {facts.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</dt>
          <dd className="mt-0.5 truncate text-gray-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
