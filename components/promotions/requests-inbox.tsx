"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, useState } from "react";
import { PROMOTION_REQUEST_STATES, type PromotionRequestState } from "@/lib/model-registry-states";
import { useTRPC } from "@/lib/trpc-client";
import type { PromotionRequest, RequestView } from "@/server/services/promotions";
import { modelHref, versionHref } from "../registry/links";
import { Button } from "../ui/button";
import { LoadMore } from "../ui/load-more";
import { cn } from "../ui/cn";
import { ErrorMessage } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";
import { formatDateTime } from "../ui/format";
import { Badge } from "../ui/badge";
import { requestHref, REQUESTS_PAGE_SIZE } from "./links";
import { RequestStateBadge } from "./request-state-badge";
import { TargetLabel } from "./target-label";

const VIEWS: { view: RequestView; label: string }[] = [
  { view: "decidable", label: "To decide" },
  { view: "mine", label: "Mine" },
  { view: "all", label: "All" },
];

/** The project's promotion requests: what I can decide, mine, or all; filtered by model, target and state; newest first, paged. */
export function RequestsInbox({
  slug,
  initialView,
  firstPage,
}: {
  slug: string;
  initialView: RequestView;
  /** The initial view's first page, loaded with the page so the table shows without another round trip. */
  firstPage: { requests: PromotionRequest[]; nextCursor: string | null };
}) {
  const trpc = useTRPC();
  const [view, setView] = useState<RequestView>(initialView);
  const [draft, setDraft] = useState({ model: "", target: "" });
  const [filters, setFilters] = useState({ model: "", target: "" });
  const [state, setState] = useState<PromotionRequestState | "">("");
  const pages = useInfiniteQuery(
    trpc.promotions.list.infiniteQueryOptions(
      {
        projectSlug: slug,
        view,
        limit: REQUESTS_PAGE_SIZE,
        ...(filters.model ? { modelName: filters.model } : {}),
        ...(filters.target ? { target: filters.target } : {}),
        ...(state && view !== "decidable" ? { state } : {}),
      },
      {
        getNextPageParam: (last) => last.nextCursor,
        placeholderData: keepPreviousData,
        initialData: view === initialView && !filters.model && !filters.target && !state ? { pages: [firstPage], pageParams: [null] } : undefined,
      },
    ),
  );
  const rows = useMemo(() => pages.data?.pages.flatMap((page) => page.requests) ?? [], [pages.data]);
  const columns = useMemo(() => buildColumns(slug), [slug]);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is memoized by its own state; the compiler skips this component
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => row.id });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <div role="group" aria-label="View" className="inline-flex rounded-md shadow-sm">
          {VIEWS.map((option, index) => (
            <button
              key={option.view}
              type="button"
              aria-pressed={view === option.view}
              onClick={() => setView(option.view)}
              className={cn(
                "px-3 py-1.5 text-sm font-medium ring-1 ring-inset ring-gray-300",
                index === 0 ? "rounded-l-md" : index === VIEWS.length - 1 ? "-ml-px rounded-r-md" : "-ml-px",
                view === option.view ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-gray-700 hover:bg-gray-50",
              )}
            >
              {option.label}
            </button>
          ))}
        </div>
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            setFilters({ model: draft.model.trim(), target: draft.target.trim() });
          }}
        >
          <input
            aria-label="Model"
            placeholder="Model name"
            className={cn(CONTROL_LOOK, "w-44 px-2 py-1.5")}
            value={draft.model}
            onChange={(event) => setDraft({ ...draft, model: event.target.value })}
          />
          <input
            aria-label="Target"
            placeholder="Stage or alias:name"
            className={cn(CONTROL_LOOK, "w-44 px-2 py-1.5 font-mono")}
            value={draft.target}
            onChange={(event) => setDraft({ ...draft, target: event.target.value })}
          />
          <Button type="submit" size="sm" variant="secondary">
            Filter
          </Button>
        </form>
        <select
          aria-label="State"
          className={cn(CONTROL_LOOK, "px-2 py-1.5 pr-8")}
          value={view === "decidable" ? "PENDING" : state}
          disabled={view === "decidable"}
          onChange={(event) => setState(event.target.value as PromotionRequestState | "")}
        >
          <option value="">Any state</option>
          {PROMOTION_REQUEST_STATES.map((option) => (
            <option key={option} value={option}>
              {option.toLowerCase()}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={pages.error} />
      <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white">
        <table className="min-w-full divide-y divide-gray-200 text-sm" aria-label="Promotion requests">
          <thead className="bg-gray-50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} scope="col" className="whitespace-nowrap px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-gray-500">
                    {flexRender(header.column.columnDef.header, header.getContext())}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-gray-100">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-request-id={row.id} className="hover:bg-gray-50">
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="whitespace-nowrap px-3 py-2.5 align-middle text-gray-700">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {!pages.isPending && rows.length === 0 ? (
          <p className="p-6 text-center text-sm text-gray-500">
            {view === "decidable" ? "Nothing waits for your decision." : "No promotion requests match."}
          </p>
        ) : null}
      </div>
      <LoadMore pages={pages} shown={rows.length} noun={["request", "requests"]} />
    </div>
  );
}

function buildColumns(slug: string): ColumnDef<PromotionRequest>[] {
  return [
    {
      id: "version",
      header: "Model version",
      cell: ({ row }) => (
        <span className="inline-flex items-center gap-1.5">
          <Link className="font-medium text-indigo-600 hover:underline" href={modelHref(slug, row.original.modelName)}>
            {row.original.modelName}
          </Link>
          <Link className="font-mono text-indigo-600 hover:underline" href={versionHref(slug, row.original.modelName, row.original.version)}>
            v{row.original.version}
          </Link>
        </span>
      ),
    },
    { id: "target", header: "Target", cell: ({ row }) => <TargetLabel target={row.original.target} /> },
    { id: "requester", header: "Requested by", cell: ({ row }) => row.original.requester.label },
    { id: "state", header: "State", cell: ({ row }) => <RequestStateBadge state={row.original.state} /> },
    {
      id: "approvals",
      header: "Approvals",
      cell: ({ row }) => (
        <span className="tabular-nums">
          {row.original.approvals}/{row.original.requiredApprovals}
        </span>
      ),
    },
    {
      id: "when",
      header: "Requested / expires",
      cell: ({ row }) => (
        <span className="text-xs">
          {formatDateTime(row.original.createdAt)}
          <span className="block text-gray-500">
            {row.original.state === "PENDING" ? `expires ${formatDateTime(row.original.expiresAt)}` : `decided ${formatDateTime(row.original.decidedAt)}`}
          </span>
        </span>
      ),
    },
    {
      id: "checks",
      header: "Checks",
      cell: ({ row }) =>
        row.original.evidence.checksPass ? <Badge tone="green">passing</Badge> : <Badge tone="red">{row.original.evidence.checks.filter((check) => !check.passed).length} failing</Badge>,
    },
    {
      id: "open",
      header: "",
      cell: ({ row }) => (
        <Link className="font-medium text-indigo-600 hover:underline" href={requestHref(slug, row.original.id)}>
          Review
        </Link>
      ),
    },
  ];
}
