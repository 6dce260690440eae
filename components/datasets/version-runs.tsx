"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/lib/trpc-client";
import type { DatasetVersion } from "@/server/services/datasets";
import { runHref } from "../tracking/run-links";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { Table, TBody, Td, Th, THead } from "../ui/table";

const PAGE_SIZE = 50;

/** The runs that used a version with their context; the first runs come with the page, "Load more" pages on. */
export function VersionRuns({ slug, name, version }: { slug: string; name: string; version: DatasetVersion }) {
  const trpc = useTRPC();
  const more = useInfiniteQuery(
    trpc.datasets.versionRuns.infiniteQueryOptions(
      { projectSlug: slug, name, digest: version.digest, limit: PAGE_SIZE },
      {
        enabled: false,
        initialCursor: version.nextRunsCursor ?? undefined,
        getNextPageParam: (last) => last.nextCursor ?? undefined,
      },
    ),
  );
  const runs = [...version.runs, ...(more.data?.pages.flatMap((page) => page.runs) ?? [])];
  const hasMore = more.data ? more.hasNextPage : version.nextRunsCursor !== null;
  const loadMore = () => void (more.data ? more.fetchNextPage() : more.refetch());
  if (runs.length === 0) return <p className="text-sm text-gray-500">No run used this version.</p>;
  return (
    <div className="space-y-2">
      <Table label={`Runs that used ${version.digest}`}>
        <THead>
          <Th>Run</Th>
          <Th>Context</Th>
          <Th>User</Th>
          <Th>Started</Th>
        </THead>
        <TBody>
          {runs.map((run) => (
            <tr key={run.runId}>
              <Td>
                <Link className="text-indigo-600 hover:underline" href={runHref(slug, run.runId)}>
                  {run.runName || run.runId}
                </Link>
              </Td>
              <Td>{run.context ?? "—"}</Td>
              <Td>{run.userId || "—"}</Td>
              <Td>{formatDateTime(new Date(run.startTime))}</Td>
            </tr>
          ))}
        </TBody>
      </Table>
      <ErrorMessage error={more.error} />
      {hasMore ? (
        <Button variant="secondary" size="sm" pending={more.isFetching} onClick={loadMore}>
          Load more ({(version.runCount - runs.length).toLocaleString("en")} more)
        </Button>
      ) : null}
    </div>
  );
}
