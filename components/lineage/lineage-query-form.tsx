"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import type { LineageDirection } from "@/server/services/lineage/types";
import { defaultDepth, DIRECTIONS, UI_MAX_DEPTH, type LineageQuery } from "./query";

const SELECT = "rounded-md border-0 py-1 pl-2 pr-8 text-sm text-gray-900 ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-indigo-600";
const DIRECTION_NAMES: Record<LineageDirection, string> = { upstream: "Upstream", downstream: "Downstream", both: "Both" };

/** Direction and depth of the graph (and, for a dataset, which version), kept in the URL so a view can be shared. */
export function LineageQueryForm({ query, versions }: { query: LineageQuery; versions?: { digest: string; selected: boolean }[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [pending, startTransition] = useTransition();

  const go = (changes: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    startTransition(() => router.replace(`${pathname}?${next.toString()}`, { scroll: false }));
  };

  return (
    <form className="flex flex-wrap items-center gap-4 text-sm" aria-busy={pending || undefined} onSubmit={(event) => event.preventDefault()}>
      {versions ? (
        <label className="flex items-center gap-2">
          <span className="text-gray-700">Version</span>
          <select className={`${SELECT} font-mono`} value={versions.find((version) => version.selected)?.digest} onChange={(event) => go({ digest: event.target.value })}>
            {versions.map((version) => (
              <option key={version.digest} value={version.digest}>
                {version.digest}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="flex items-center gap-2">
        <span className="text-gray-700">Direction</span>
        <select
          className={SELECT}
          value={query.direction}
          onChange={(event) => {
            const direction = event.target.value as LineageDirection;
            go({ direction, depth: String(defaultDepth(direction)) });
          }}
        >
          {DIRECTIONS.map((direction) => (
            <option key={direction} value={direction}>
              {DIRECTION_NAMES[direction]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2">
        <span className="text-gray-700">Depth</span>
        <select className={SELECT} value={query.depth} onChange={(event) => go({ depth: event.target.value })}>
          {Array.from({ length: UI_MAX_DEPTH }, (_, index) => index + 1).map((depth) => (
            <option key={depth} value={depth}>
              {depth}
            </option>
          ))}
        </select>
      </label>
      {pending ? <span className="text-gray-500">Loading…</span> : null}
    </form>
  );
}
