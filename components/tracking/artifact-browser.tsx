"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { cn } from "../ui/cn";
import { ArtifactPreview } from "./artifact-preview";
import type { ArtifactSource } from "./run-links";

interface Selected {
  path: string;
  size?: number;
}

/** A run's (or a registered version's) artifacts as a folder tree (folders load when opened) beside a preview of the chosen file. */
export function ArtifactBrowser({ slug, source, label = "Artifacts" }: { slug: string; source: ArtifactSource; label?: string }) {
  const [selected, setSelected] = useState<Selected | null>(null);
  return (
    <div className="grid gap-4 md:grid-cols-[18rem_1fr]">
      <nav aria-label={label} className="max-h-[36rem] overflow-auto rounded-md border border-gray-200 bg-white p-2 text-sm">
        <Folder slug={slug} source={source} path="" depth={0} selected={selected?.path} onSelect={setSelected} />
      </nav>
      <div className="min-w-0 rounded-md border border-gray-200 bg-white p-4">
        {selected ? (
          <ArtifactPreview slug={slug} source={source} path={selected.path} size={selected.size} />
        ) : (
          <p className="text-sm text-gray-500">Choose a file to preview it.</p>
        )}
      </div>
    </div>
  );
}

function Folder({
  slug,
  source,
  path,
  depth,
  selected,
  onSelect,
}: {
  slug: string;
  source: ArtifactSource;
  path: string;
  depth: number;
  selected?: string;
  onSelect: (file: Selected) => void;
}) {
  const trpc = useTRPC();
  const runListing = useQuery(trpc.runs.artifacts.queryOptions(source.kind === "run" ? { projectSlug: slug, runId: source.runId, path } : skipToken));
  const versionListing = useQuery(
    trpc.registry.versions.files.queryOptions(
      source.kind === "version" ? { projectSlug: slug, name: source.name, version: source.version, path } : skipToken,
    ),
  );
  const listing = source.kind === "run" ? runListing : versionListing;
  const [open, setOpen] = useState<Record<string, boolean>>({});
  if (listing.isError) return <p className="px-2 text-red-600">{listing.error.message}</p>;
  if (listing.isPending) return <p className="px-2 text-gray-400">Loading…</p>;
  if (listing.data.length === 0 && depth === 0) return <p className="px-2 text-gray-500">No artifacts.</p>;
  return (
    <ul>
      {listing.data.map((entry) => {
        const full = path ? `${path}/${entry.path}` : entry.path;
        const indent = { paddingLeft: `${depth * 0.9 + 0.25}rem` };
        if (entry.isDir) {
          return (
            <li key={full}>
              <button
                type="button"
                style={indent}
                className="flex w-full items-center gap-1 rounded px-1 py-0.5 text-left text-gray-800 hover:bg-gray-100"
                aria-expanded={Boolean(open[full])}
                onClick={() => setOpen({ ...open, [full]: !open[full] })}
              >
                <span className="w-3 text-gray-400">{open[full] ? "▾" : "▸"}</span>
                {entry.path}/
              </button>
              {open[full] ? <Folder slug={slug} source={source} path={full} depth={depth + 1} selected={selected} onSelect={onSelect} /> : null}
            </li>
          );
        }
        return (
          <li key={full}>
            <button
              type="button"
              style={indent}
              className={cn(
                "flex w-full items-center justify-between gap-2 rounded px-1 py-0.5 text-left hover:bg-gray-100",
                selected === full ? "bg-indigo-50 text-indigo-800" : "text-gray-700",
              )}
              onClick={() => onSelect({ path: full, size: entry.size })}
            >
              <span className="truncate pl-4">{entry.path}</span>
              <span className="shrink-0 text-xs text-gray-400">{formatBytes(entry.size ?? 0)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
