"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState, type Dispatch, type SetStateAction } from "react";
import type { RunsTableState } from "@/lib/schemas/runs-table";
import { useTRPC } from "@/lib/trpc-client";
import type { RunTableRow } from "@/server/services/runs-table";
import { buttonClasses } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { ColumnPicker } from "./column-picker";
import { formatDuration, formatMetric } from "./format";
import { compareHref, runHref } from "./run-links";
import { RunStatusBadge } from "./run-status";
import { SavedViews } from "./saved-views";
import { completionsFor, fieldName, orderByOf, sortFromOrderBy, type ColumnChoice, type SortState } from "./search-terms";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";

const PAGE_SIZE = 200;
const ROW_HEIGHT = 36;
const NO_COLUMNS: ColumnChoice = { metrics: [], params: [], tags: [] };

/** An experiment's runs: server-side filter and sort, lazily loaded columns, virtualized rows. */
export function RunsTable({ slug, experimentId }: { slug: string; experimentId: string }) {
  const trpc = useTRPC();
  const [filterDraft, setFilterDraft] = useState("");
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<SortState | null>({ field: "attributes.start_time", descending: true });
  const [chosen, setChosen] = useState<ColumnChoice | null>(null);
  const [selected, setSelected] = useState<string[]>([]);

  const keys = useQuery(trpc.runsTable.keys.queryOptions({ projectSlug: slug, experimentId }));
  // Until the user picks, show a few of the experiment's metrics and params.
  const columns = useMemo(
    () => chosen ?? (keys.data ? { metrics: keys.data.metrics.slice(0, 4), params: keys.data.params.slice(0, 3), tags: [] } : NO_COLUMNS),
    [chosen, keys.data],
  );
  const query = { projectSlug: slug, experimentId, filter, orderBy: orderByOf(sort) };
  // A new filter, sort or column set keeps the rows on screen until its own rows arrive, so the table
  // never flashes empty (and nothing the user is about to click disappears under the pointer).
  const count = useQuery(trpc.runsTable.count.queryOptions({ projectSlug: slug, experimentId, filter }, { placeholderData: keepPreviousData }));
  const pages = useInfiniteQuery(
    trpc.runsTable.page.infiniteQueryOptions(
      { ...query, columns, pageSize: PAGE_SIZE },
      {
        getNextPageParam: (last) => last.nextPageToken,
        placeholderData: keepPreviousData,
        // Runs still going change under us: poll while any is on screen.
        refetchInterval: (state) =>
          state.state.data?.pages.some((page) => page.rows.some((row) => row.status === "RUNNING")) ? 5_000 : false,
      },
    ),
  );
  const rows = useMemo(() => pages.data?.pages.flatMap((page) => page.rows) ?? [], [pages.data]);

  const tableColumns = useMemo(() => buildColumns(slug, columns, selected, setSelected), [slug, columns, selected]);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is memoized by its own state; the compiler skips this component
  const table = useReactTable({ data: rows, columns: tableColumns, getCoreRowModel: getCoreRowModel(), manualSorting: true, getRowId: (row) => row.runId });

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const virtualRows = virtualizer.getVirtualItems();
  const lastIndex = virtualRows.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 40) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const tableState: RunsTableState = { columns, filter, orderBy: orderByOf(sort) };
  const completions = completionsFor(filterDraft, keys.data);
  const toggleSort = (field: string) =>
    setSort(sort?.field === field ? (sort.descending ? { field, descending: false } : null) : { field, descending: true });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-start gap-3">
        <form
          className="min-w-[20rem] flex-1"
          onSubmit={(event) => {
            event.preventDefault();
            setFilter(filterDraft.trim());
          }}
        >
          <input
            aria-label="Filter runs"
            list="run-filter-completions"
            placeholder="Filter, e.g. metrics.accuracy > 0.9 AND params.optimizer = 'adam'  (Enter to apply)"
            className={cn(CONTROL_LOOK, "block w-full px-3 py-2 font-mono")}
            value={filterDraft}
            onChange={(event) => setFilterDraft(event.target.value)}
          />
          <datalist id="run-filter-completions">
            {completions.map((completion) => (
              <option key={completion} value={filterDraft.replace(/[\w.`]*$/, completion)} />
            ))}
          </datalist>
        </form>
        {keys.data ? <ColumnPicker keys={keys.data} chosen={columns} onChange={setChosen} /> : null}
        <Link
          aria-disabled={selected.length < 2 || selected.length > 20}
          className={buttonClasses(selected.length >= 2 && selected.length <= 20 ? "primary" : "secondary")}
          href={selected.length >= 2 && selected.length <= 20 ? compareHref(slug, selected) : "#"}
        >
          Compare ({selected.length})
        </Link>
      </div>
      <SavedViews
        slug={slug}
        experimentId={experimentId}
        current={tableState}
        onApply={(state) => {
          setChosen(state.columns);
          setFilter(state.filter);
          setFilterDraft(state.filter);
          setSort(sortFromOrderBy(state.orderBy));
        }}
      />
      <ErrorMessage error={pages.error ?? count.error} />
      <p className="text-sm text-gray-500" aria-live="polite">
        {count.data ? `${count.data.count.toLocaleString("en")}${count.data.capped ? "+" : ""} runs` : " "}
        {rows.length && count.data && rows.length < count.data.count ? ` · ${rows.length.toLocaleString("en")} loaded` : ""}
        {pages.isPlaceholderData ? " · updating…" : ""}
      </p>
      <div ref={scroller} className="relative h-[65vh] overflow-auto rounded-lg border border-gray-200 bg-white" data-testid="runs-table-scroller">
        <table className="min-w-full border-separate border-spacing-0 text-sm" aria-label="Runs" aria-rowcount={count.data?.count}>
          <thead className="sticky top-0 z-10 bg-gray-50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const field = header.column.columnDef.meta?.sortField;
                  const active = field && sort?.field === field;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={active ? (sort!.descending ? "descending" : "ascending") : undefined}
                      className="whitespace-nowrap border-b border-gray-200 px-3 py-2 text-left text-xs font-semibold text-gray-600"
                    >
                      {field ? (
                        <button type="button" className="inline-flex items-center gap-1 hover:text-gray-900" onClick={() => toggleSort(field)}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden className="text-gray-400">{active ? (sort!.descending ? "↓" : "↑") : ""}</span>
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
          <tbody>
            {virtualRows.length ? <tr style={{ height: virtualRows[0]!.start }} aria-hidden /> : null}
            {virtualRows.map((virtualRow) => {
              const row = table.getRowModel().rows[virtualRow.index]!;
              return (
                <tr key={row.id} data-run-id={row.id} className="hover:bg-gray-50" style={{ height: ROW_HEIGHT }}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="whitespace-nowrap border-b border-gray-100 px-3 text-gray-700">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              );
            })}
            {virtualRows.length ? <tr style={{ height: virtualizer.getTotalSize() - (virtualRows.at(-1)?.end ?? 0) }} aria-hidden /> : null}
          </tbody>
        </table>
        {!pages.isPending && rows.length === 0 ? <p className="p-6 text-center text-sm text-gray-500">No runs match.</p> : null}
      </div>
    </div>
  );
}

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- declaration merging must repeat TanStack's type parameters
  interface ColumnMeta<TData, TValue> {
    /** The search-grammar field the column sorts by on the server. */
    sortField?: string;
  }
}

function buildColumns(
  slug: string,
  chosen: ColumnChoice,
  selected: string[],
  setSelected: Dispatch<SetStateAction<string[]>>,
): ColumnDef<RunTableRow>[] {
  return [
    {
      id: "select",
      header: () => <span className="sr-only">Select</span>,
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${row.original.name}`}
          checked={selected.includes(row.id)}
          onChange={(event) => {
            const { checked } = event.target;
            // Functional update: quick successive clicks must each see the others' selections.
            setSelected((current) => (checked ? [...new Set([...current, row.id])] : current.filter((id) => id !== row.id)));
          }}
        />
      ),
    },
    {
      id: "name",
      header: "Run",
      meta: { sortField: "attributes.run_name" },
      cell: ({ row }) => (
        // Not prefetched: scrolling through the table would have the server render every run page that
        // passes by, hundreds per scroll (docs/performance.md, "The runs table").
        <Link className="font-medium text-indigo-600 hover:underline" href={runHref(slug, row.id)} prefetch={false}>
          {row.original.parentRunId ? <span className="text-gray-400">↳ </span> : null}
          {row.original.name}
        </Link>
      ),
    },
    { id: "status", header: "Status", meta: { sortField: "attributes.status" }, cell: ({ row }) => <RunStatusBadge status={row.original.status} /> },
    { id: "start", header: "Started", meta: { sortField: "attributes.start_time" }, cell: ({ row }) => formatDateTime(new Date(row.original.startTime)) },
    { id: "duration", header: "Duration", cell: ({ row }) => formatDuration(row.original.startTime, row.original.endTime) },
    { id: "user", header: "User", meta: { sortField: "attributes.user_id" }, cell: ({ row }) => row.original.userId || "—" },
    ...chosen.metrics.map(
      (key): ColumnDef<RunTableRow> => ({
        id: `metrics.${key}`,
        header: () => <span className="font-mono">{key}</span>,
        meta: { sortField: fieldName("metrics", key) },
        cell: ({ row }) => <span className="tabular-nums">{formatMetric(row.original.metrics[key])}</span>,
      }),
    ),
    ...chosen.params.map(
      (key): ColumnDef<RunTableRow> => ({
        id: `params.${key}`,
        header: () => <span className="font-mono text-gray-500">{key}</span>,
        meta: { sortField: fieldName("params", key) },
        cell: ({ row }) => <span className="font-mono text-xs">{row.original.params[key] ?? "—"}</span>,
      }),
    ),
    ...chosen.tags.map(
      (key): ColumnDef<RunTableRow> => ({
        id: `tags.${key}`,
        header: () => <span className="font-mono text-gray-500">#{key}</span>,
        meta: { sortField: fieldName("tags", key) },
        cell: ({ row }) => <span className="text-xs">{row.original.tags[key] ?? "—"}</span>,
      }),
    ),
  ];
}
