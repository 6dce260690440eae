"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { MODEL_LIST_ORDERS } from "@/lib/schemas/registry-ui";
import { useTRPC } from "@/lib/trpc-client";
import type { RegisteredModel } from "@/server/services/registry";
import { LoadMore } from "../ui/load-more";
import { cn } from "../ui/cn";
import { ErrorMessage } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";
import { formatDateTime } from "../ui/format";
import { modelHref } from "./links";
import { AliasChip, StageBadge } from "./stage-badge";

const PAGE_SIZE = 50;
type Order = (typeof MODEL_LIST_ORDERS)[number];
type SortField = "name" | "last_updated_timestamp";

/** The project's registered models: server-side filter (registry search grammar) and sort, paged with "Load more". */
export function ModelsTable({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const [filterDraft, setFilterDraft] = useState("");
  const [filter, setFilter] = useState("");
  const [order, setOrder] = useState<Order>("name ASC");
  const pages = useInfiniteQuery(
    trpc.registry.models.list.infiniteQueryOptions(
      { projectSlug: slug, filter, orderBy: order, pageSize: PAGE_SIZE },
      { getNextPageParam: (last) => last.nextPageToken, placeholderData: keepPreviousData },
    ),
  );
  const rows = useMemo(() => pages.data?.pages.flatMap((page) => page.models) ?? [], [pages.data]);
  const columns = useMemo(() => buildColumns(slug), [slug]);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is memoized by its own state; the compiler skips this component
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), manualSorting: true, getRowId: (row) => row.name });

  const [sortField, direction] = order.split(" ") as [SortField, "ASC" | "DESC"];
  const toggleSort = (field: SortField) =>
    setOrder(
      sortField === field
        ? (`${field} ${direction === "ASC" ? "DESC" : "ASC"}` as Order)
        : ((field === "name" ? "name ASC" : "last_updated_timestamp DESC") as Order),
    );

  return (
    <div className="space-y-3">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setFilter(filterDraft.trim());
        }}
      >
        <input
          aria-label="Filter models"
          placeholder="Filter, e.g. name LIKE '%churn%' AND tags.team = 'growth'  (Enter to apply)"
          className={cn(CONTROL_LOOK, "block w-full px-3 py-2 font-mono")}
          value={filterDraft}
          onChange={(event) => setFilterDraft(event.target.value)}
        />
      </form>
      <ErrorMessage error={pages.error} />
      <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white">
        <table className="min-w-full divide-y divide-gray-200 text-sm" aria-label="Registered models">
          <thead className="bg-gray-50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const field = header.column.columnDef.meta?.sortField as SortField | undefined;
                  const active = field !== undefined && field === sortField;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={active ? (direction === "DESC" ? "descending" : "ascending") : undefined}
                      className="whitespace-nowrap px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-gray-500"
                    >
                      {field ? (
                        <button type="button" className="inline-flex items-center gap-1 uppercase hover:text-gray-900" onClick={() => toggleSort(field)}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden className="text-gray-400">{active ? (direction === "DESC" ? "↓" : "↑") : ""}</span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-gray-100">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-model-name={row.id} className="hover:bg-gray-50">
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-2.5 align-middle text-gray-700">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {!pages.isPending && rows.length === 0 ? (
          <p className="p-6 text-center text-sm text-gray-500">
            {filter ? "No models match." : "No registered models yet. Register one from a run's logged model, or with the MLflow client."}
          </p>
        ) : null}
      </div>
      <LoadMore pages={pages} shown={rows.length} noun={["model", "models"]} />
    </div>
  );
}

function buildColumns(slug: string): ColumnDef<RegisteredModel>[] {
  return [
    {
      id: "name",
      header: "Name",
      meta: { sortField: "name" },
      cell: ({ row }) => (
        <Link className="font-medium text-indigo-600 hover:underline" href={modelHref(slug, row.original.name)}>
          {row.original.name}
        </Link>
      ),
    },
    {
      id: "latest",
      header: "Latest versions",
      cell: ({ row }) =>
        row.original.latestVersions.length ? (
          <span className="flex flex-wrap gap-1">
            {row.original.latestVersions.map((version) => (
              <StageBadge key={version.stage} stage={version.stage} version={version.version} />
            ))}
          </span>
        ) : (
          <span className="text-gray-400">no versions</span>
        ),
    },
    {
      id: "aliases",
      header: "Aliases",
      cell: ({ row }) =>
        row.original.aliases.length ? (
          <span className="flex flex-wrap gap-1">
            {row.original.aliases.map((alias) => (
              <AliasChip key={alias.alias} alias={alias.alias} version={alias.version} />
            ))}
          </span>
        ) : (
          <span className="text-gray-400">—</span>
        ),
    },
    { id: "updated", header: "Last updated", meta: { sortField: "last_updated_timestamp" }, cell: ({ row }) => formatDateTime(row.original.updatedAt) },
    { id: "createdBy", header: "Created by", cell: ({ row }) => row.original.createdBy },
  ];
}
