import { Card, Title } from "@tremor/react";
import Link from "next/link";
import type { AuditEvent } from "@/server/services/audit";
import type { RecentRun } from "@/server/services/dashboard";
import { formatDateTime } from "../ui/format";
import { formatDuration } from "../tracking/format";
import { RunStatusBadge } from "../tracking/run-status";
import { experimentHref, runHref } from "../tracking/run-links";

export function RecentRuns({ slug, runs }: { slug: string; runs: RecentRun[] }) {
  return (
    <Card>
      <Title>Recent runs</Title>
      <ul className="mt-3 divide-y divide-gray-100 text-sm" aria-label="Recent runs">
        {runs.map((run) => (
          <li key={run.runId} className="flex items-center justify-between gap-3 py-2">
            <span className="flex min-w-0 items-center gap-2">
              <Link className="truncate font-medium text-indigo-600 hover:underline" href={runHref(slug, run.runId)}>
                {run.runName}
              </Link>
              <Link className="truncate text-xs text-gray-500 hover:underline" href={experimentHref(slug, run.experimentId)}>
                {run.experimentName}
              </Link>
            </span>
            <span className="flex shrink-0 items-center gap-3 text-xs text-gray-500">
              {formatDuration(run.startTime, run.endTime)}
              <RunStatusBadge status={run.status} />
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function RecentActivity({ events }: { events: AuditEvent[] }) {
  return (
    <Card>
      <Title>Recent activity</Title>
      <ul className="mt-3 divide-y divide-gray-100 text-sm" aria-label="Recent activity">
        {events.length === 0 ? <li className="py-2 text-gray-500">Nothing yet.</li> : null}
        {events.map((event) => (
          <li key={event.id} className="py-2">
            <span className="font-medium text-gray-900">{event.actorLabel}</span>{" "}
            <span className="font-mono text-xs text-gray-700">{event.action}</span>
            <span className="block text-xs text-gray-500">{formatDateTime(event.createdAt)}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
