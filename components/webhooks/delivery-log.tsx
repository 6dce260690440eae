"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import type { WebhookDeliveryStatus } from "@/lib/webhook-events";
import { useTRPC } from "@/lib/trpc-client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { EmptyRow, Table, TBody, Td, Th, THead } from "../ui/table";

const PAGE_SIZE = 25;
const STATUS_TONE: Record<WebhookDeliveryStatus, "green" | "amber" | "red"> = { succeeded: "green", pending: "amber", failed: "red" };

const code = (value: number | null) => (value === null ? "—" : String(value));
const duration = (value: number | null) => (value === null ? "—" : `${value} ms`);

/** A webhook's deliveries, newest first, each with its attempts; refreshed every few seconds while open. */
export function DeliveryLog({ slug, webhookId }: { slug: string; webhookId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const deliveries = useInfiniteQuery(
    trpc.webhooks.deliveries.infiniteQueryOptions(
      { projectSlug: slug, webhookId, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: 5_000 },
    ),
  );
  const redeliver = useMutation(
    trpc.webhooks.redeliver.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.pathKey() }),
    }),
  );
  const rows = deliveries.data?.pages.flatMap((page) => page.deliveries) ?? [];

  return (
    <div className="space-y-2">
      <ErrorMessage error={redeliver.error} />
      <Table label="Deliveries">
        <THead>
          <Th>Time</Th>
          <Th>Event</Th>
          <Th>Status</Th>
          <Th>Response</Th>
          <Th>Duration</Th>
          <Th>Attempts</Th>
          <Th>Next attempt</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <TBody>
          {deliveries.isPending ? (
            <EmptyRow colSpan={8}>Loading deliveries…</EmptyRow>
          ) : deliveries.error ? (
            <EmptyRow colSpan={8}>
              <ErrorMessage error={deliveries.error} />
            </EmptyRow>
          ) : rows.length === 0 ? (
            <EmptyRow colSpan={8}>No deliveries yet. Send a test event to try the webhook.</EmptyRow>
          ) : (
            rows.map((delivery) => (
              <Fragment key={delivery.id}>
                <tr data-testid="delivery-row">
                  <Td className="whitespace-nowrap text-xs">{formatDateTime(delivery.createdAt)}</Td>
                  <Td>
                    <code className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs text-gray-800">{delivery.kind}</code>
                  </Td>
                  <Td>
                    <Badge tone={STATUS_TONE[delivery.status]}>{delivery.status}</Badge>
                  </Td>
                  <Td className="text-xs" title={delivery.lastError ?? undefined}>
                    {code(delivery.lastResponseCode)}
                    {delivery.lastError && delivery.lastResponseCode === null ? <span className="ml-1 text-red-700">{delivery.lastError}</span> : null}
                  </Td>
                  <Td className="whitespace-nowrap text-xs">{duration(delivery.lastDurationMs)}</Td>
                  <Td className="text-xs">
                    <button type="button" className="text-indigo-600 hover:underline" aria-expanded={open === delivery.id} onClick={() => setOpen(open === delivery.id ? null : delivery.id)}>
                      {delivery.attempts}
                    </button>
                  </Td>
                  <Td className="whitespace-nowrap text-xs">{delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt) : "—"}</Td>
                  <Td className="text-right">
                    <Button
                      variant="secondary"
                      size="sm"
                      pending={redeliver.isPending && redeliver.variables?.deliveryId === delivery.id}
                      onClick={() => redeliver.mutate({ projectSlug: slug, deliveryId: delivery.id })}
                    >
                      Redeliver
                    </Button>
                  </Td>
                </tr>
                {open === delivery.id ? (
                  <tr>
                    <td colSpan={8} className="bg-gray-50 px-6 py-2">
                      <ol className="space-y-1 text-xs text-gray-700" aria-label="Attempts">
                        {delivery.log.map((attempt, index) => (
                          <li key={index} className="flex gap-4">
                            <span className="whitespace-nowrap">{formatDateTime(attempt.attemptedAt)}</span>
                            <span>response {code(attempt.responseCode)}</span>
                            <span>{duration(attempt.durationMs)}</span>
                            {attempt.error ? <span className="text-red-700">{attempt.error}</span> : null}
                          </li>
                        ))}
                        {delivery.log.length === 0 ? <li>Not attempted yet.</li> : null}
                      </ol>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))
          )}
        </TBody>
      </Table>
      {deliveries.hasNextPage ? (
        <Button variant="secondary" size="sm" pending={deliveries.isFetchingNextPage} onClick={() => void deliveries.fetchNextPage()}>
          Older deliveries
        </Button>
      ) : null}
    </div>
  );
}
