"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import type { DatasetSummary } from "@/server/services/datasets";
import { LoadMore } from "../ui/load-more";
import { cn } from "../ui/cn";
import { ErrorMessage } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";
import { formatDateTime } from "../ui/format";
import { datasetHref } from "./links";

const PAGE_SIZE = 50;

/** The project's datasets by name, filtered by a part of the name, paged with "Load more". */
export function DatasetsTable({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const [filterDraft, setFilterDraft] = useState("");
  const [filter, setFilter] = useState("");
  const pages = useInfiniteQuery(
    trpc.datasets.list.infiniteQueryOptions(
      { projectSlug: slug, filter: filter || undefined, limit: PAGE_SIZE },
      { getNextPageParam: (last) => last.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const rows = useMemo(() => pages.data?.pages.flatMap((page) => page.datasets) ?? [], [pages.data]);
  const columns = useMemo(() => buildColumns(slug), [slug]);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is memoized by its own state; the compiler skips this component
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => row.name });

  return (
    <div className="space-y-3">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setFilter(filterDraft.trim());
        }}
      >
        <input
          aria-label="Filter datasets"
          placeholder="Filter by name  (Enter to apply)"
          className={cn(CONTROL_LOOK, "block w-full px-3 py-2")}
          value={filterDraft}
          onChange={(event) => setFilterDraft(event.target.value)}
        />
      </form>
      <ErrorMessage error={pages.error} />
      <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white">
        <table className="min-w-full divide-y divide-gray-200 text-sm" aria-label="Datasets">
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
              <tr key={row.id} data-dataset-name={row.id} className="hover:bg-gray-50">
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
            {filter ? "No datasets match." : "No datasets yet. Runs log them with MLflow's log_input."}
          </p>
        ) : null}
      </div>
      <LoadMore pages={pages} />
    </div>
  );
}

function buildColumns(slug: string): ColumnDef<DatasetSummary>[] {
  return [
    {
      id: "name",
      header: "Name",
      cell: ({ row }) => (
        <Link className="font-medium text-indigo-600 hover:underline" href={datasetHref(slug, row.original.name)}>
          {row.original.name}
        </Link>
      ),
    },
    { id: "versions", header: "Versions", cell: ({ row }) => <span className="tabular-nums">{row.original.versionCount.toLocaleString("en")}</span> },
    {
      id: "lastUsed",
      header: "Last used",
      cell: ({ row }) => (row.original.lastUsed === null ? "—" : formatDateTime(new Date(row.original.lastUsed))),
    },
  ];
}
