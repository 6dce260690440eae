"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { EmptyRow, Table, TBody, Td, Th, THead } from "../ui/table";
import { auditChangeSummary } from "./audit-summary";

const PAGE_SIZE = 50;

export function AuditLog({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { projectSlug: slug, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];

  return (
    <Card>
      <CardHeader title="Audit log" description="Every change to this project: who did what, when, and what it changed. Newest first." />
      <Table label="Audit events">
        <THead>
          <Th>Time</Th>
          <Th>Actor</Th>
          <Th>Role</Th>
          <Th>Action</Th>
          <Th>Resource</Th>
          <Th>Change</Th>
        </THead>
        <TBody>
          {events.isPending ? (
            <EmptyRow colSpan={6}>Loading events…</EmptyRow>
          ) : events.error ? (
            <EmptyRow colSpan={6}>
              <ErrorMessage error={events.error} />
            </EmptyRow>
          ) : rows.length === 0 ? (
            <EmptyRow colSpan={6}>No events yet.</EmptyRow>
          ) : (
            rows.map((event) => (
              <tr key={event.id} data-testid="audit-row">
                <Td className="whitespace-nowrap text-xs">{formatDateTime(event.createdAt)}</Td>
                <Td className="text-xs">
                  <span className="whitespace-nowrap text-gray-900">{event.actorLabel}</span>
                  {event.actorType !== "USER" ? <span className="ml-1 text-xs text-gray-500">({event.actorType.toLowerCase()})</span> : null}
                </Td>
                <Td className="whitespace-nowrap text-xs">{event.actorRole ?? "—"}</Td>
                <Td>
                  <code className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs text-gray-800">{event.action}</code>
                </Td>
                <Td className="text-xs">
                  <div>{event.resourceType}</div>
                  <div className="font-mono text-gray-500" title={event.resourceId}>
                    {event.resourceId.length > 14 ? `${event.resourceId.slice(0, 12)}…` : event.resourceId}
                  </div>
                </Td>
                <Td className="min-w-[16rem] max-w-md break-words text-xs text-gray-600">{auditChangeSummary(event.before, event.after)}</Td>
              </tr>
            ))
          )}
        </TBody>
      </Table>
      {events.hasNextPage ? (
        <div className="border-t border-gray-200 px-5 py-3 text-center">
          <Button variant="secondary" pending={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
            Load more
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
