import Link from "next/link";
import type { RunDetail } from "@/server/services/runs";
import { formatDateTime } from "../ui/format";
import { formatDuration } from "./format";
import { RunStatusBadge } from "./run-status";
import { experimentHref, runHref } from "./run-links";

const tagValue = (detail: RunDetail, key: string) => detail.run.data.tags.find((tag) => tag.key === key)?.value;

/** Status, timing, who ran it and from which source: the facts above the fold of the run page. */
export function RunOverview({ slug, detail }: { slug: string; detail: RunDetail }) {
  const { info } = detail.run;
  const commit = tagValue(detail, "mlflow.source.git.commit");
  const facts: [string, React.ReactNode][] = [
    ["Status", <RunStatusBadge key="status" status={info.status} />],
    ["Started", formatDateTime(new Date(info.start_time))],
    ["Duration", formatDuration(info.start_time, info.end_time)],
    ["User", info.user_id || tagValue(detail, "mlflow.user") || "—"],
    [
      "Experiment",
      <Link key="experiment" className="text-indigo-600 hover:underline" href={experimentHref(slug, info.experiment_id)}>
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
