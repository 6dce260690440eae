"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { useTRPC } from "@/lib/trpc-client";
import type { ComparedDataset } from "@/server/services/registry";
import { formatMetric } from "../tracking/format";
import { runHref } from "../tracking/run-links";
import { cn } from "../ui/cn";
import { versionHref } from "./links";

/** This version beside another of the same model: their source runs' params, latest metrics and datasets. */
export function VersionCompare({ slug, name, version, others }: { slug: string; name: string; version: number; others: number[] }) {
  const trpc = useTRPC();
  const [other, setOther] = useState<number | null>(null);
  const query = useQuery(trpc.registry.versions.compare.queryOptions(other === null ? skipToken : { projectSlug: slug, name, version, other }));
  if (others.length === 0) return <p className="text-sm text-gray-500">This is the model&apos;s only version.</p>;
  return (
    <div className="space-y-4">
      <label className="flex items-center gap-2 text-sm text-gray-700">
        Compare with
        <select
          className="rounded-md border-gray-300 py-1 text-sm"
          value={other ?? ""}
          onChange={(event) => setOther(event.target.value ? Number(event.target.value) : null)}
        >
          <option value="">Choose a version…</option>
          {others.map((number) => (
            <option key={number} value={number}>
              Version {number}
            </option>
          ))}
        </select>
      </label>
      {other === null ? null : query.isError ? (
        <p className="text-sm text-red-600">{query.error.message}</p>
      ) : query.isPending ? (
        <div className="h-24 animate-pulse rounded bg-gray-50" />
      ) : (
        <div className="space-y-5" data-testid="version-compare">
          <Table
            label="Compared runs"
            heads={query.data.versions.map((v) => (
              <span key={v.version} className="space-x-1">
                <Link className="text-indigo-600 hover:underline" href={versionHref(slug, name, v.version)}>
                  v{v.version}
                </Link>
                {v.runId ? (
                  <Link className="font-normal text-gray-500 hover:underline" href={runHref(slug, v.runId)}>
                    ({v.runName || v.runId})
                  </Link>
                ) : (
                  <span className="font-normal text-gray-400">(no run)</span>
                )}
              </span>
            ))}
            rows={[]}
          />
          <Table
            label="Params compared"
            title="Params"
            heads={query.data.versions.map((v) => `v${v.version}`)}
            rows={query.data.params.map((row) => ({ key: row.key, differs: row.differs, cells: row.values.map((value) => value ?? "—") }))}
          />
          <Table
            label="Metrics compared"
            title="Latest metrics"
            heads={query.data.versions.map((v) => `v${v.version}`)}
            rows={query.data.metrics.map((row) => ({
              key: row.key,
              differs: row.differs,
              cells: row.values.map((value) => (value === null ? "—" : formatMetric(value))),
            }))}
          />
          <section>
            <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">Dataset inputs</h3>
            <div className="mt-2 grid gap-4 md:grid-cols-2" aria-label="Datasets compared">
              {query.data.datasets.map((datasets, index) => (
                <Datasets key={index} title={`v${query.data.versions[index]!.version}`} datasets={datasets} />
              ))}
            </div>
          </section>
        </div>
      )}
    </div>
  );
}

interface Row {
  key: string;
  differs: boolean;
  cells: string[];
}

function Table({ label, title, heads, rows }: { label: string; title?: string; heads: ReactNode[]; rows: Row[] }) {
  return (
    <section>
      {title ? <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">{title}</h3> : null}
      <table className="mt-2 w-full table-fixed text-sm" aria-label={label}>
        <thead>
          <tr className="text-left text-xs text-gray-500">
            <th className="w-1/3 py-1 pr-3 font-medium">{title ? "Key" : ""}</th>
            {heads.map((head, index) => (
              <th key={index} className="py-1 pr-3 font-medium text-gray-900">
                {head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {rows.map((row) => (
            <tr key={row.key} data-differs={row.differs ? "true" : undefined} className={cn(row.differs && "bg-amber-50")}>
              <td className="truncate py-1 pr-3 font-mono text-xs text-gray-700">{row.key}</td>
              {row.cells.map((cell, index) => (
                <td key={index} className={cn("break-all py-1 pr-3 font-mono text-xs", row.differs ? "font-semibold text-amber-900" : "text-gray-800")}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
          {title && rows.length === 0 ? (
            <tr>
              <td colSpan={heads.length + 1} className="py-1 text-xs text-gray-500">
                None.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

function Datasets({ title, datasets }: { title: string; datasets: ComparedDataset[] }) {
  return (
    <div className="rounded-md border border-gray-200 p-3">
      <p className="text-xs font-semibold text-gray-900">{title}</p>
      {datasets.length === 0 ? (
        <p className="mt-1 text-xs text-gray-500">No dataset inputs.</p>
      ) : (
        <ul className="mt-1 space-y-1 text-xs">
          {datasets.map((dataset) => (
            <li key={`${dataset.name}\u0000${dataset.digest}`} className="font-mono text-gray-800">
              {dataset.name} <span className="text-gray-500">@{dataset.digest}</span>
              {dataset.context ? <span className="ml-1 rounded bg-gray-100 px-1 text-gray-600">{dataset.context}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
