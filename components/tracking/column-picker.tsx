"use client";

import { useState } from "react";
import { Button } from "../ui/button";
import type { ColumnChoice, ColumnKind } from "./search-terms";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";

const KINDS: { kind: ColumnKind; label: string }[] = [
  { kind: "metrics", label: "Metrics" },
  { kind: "params", label: "Params" },
  { kind: "tags", label: "Tags" },
];

/** Which metric, param and tag columns the table shows; only their values are loaded. */
export function ColumnPicker({ keys, chosen, onChange }: { keys: ColumnChoice; chosen: ColumnChoice; onChange: (next: ColumnChoice) => void }) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const count = chosen.metrics.length + chosen.params.length + chosen.tags.length;
  const toggle = (kind: ColumnKind, key: string) => {
    const list = chosen[kind];
    onChange({ ...chosen, [kind]: list.includes(key) ? list.filter((item) => item !== key) : [...list, key] });
  };
  return (
    <div className="relative">
      <Button variant="secondary" onClick={() => setOpen(!open)} aria-expanded={open}>
        Columns ({count})
      </Button>
      {open ? (
        <div className="absolute right-0 z-20 mt-2 max-h-96 w-80 overflow-auto rounded-md border border-gray-200 bg-white p-3 shadow-lg" role="dialog" aria-label="Choose columns">
          <input
            aria-label="Search columns"
            placeholder="Search keys…"
            className={cn(CONTROL_LOOK, "mb-2 block w-full px-2 py-1")}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          {KINDS.map(({ kind, label }) => {
            const matching = keys[kind].filter((key) => key.toLowerCase().includes(search.toLowerCase()));
            if (matching.length === 0) return null;
            return (
              <fieldset key={kind} className="mb-2">
                <legend className="text-xs font-semibold uppercase tracking-wide text-gray-500">{label}</legend>
                {matching.map((key) => (
                  <label key={key} className="flex items-center gap-2 py-0.5 text-sm text-gray-800">
                    <input type="checkbox" checked={chosen[kind].includes(key)} onChange={() => toggle(kind, key)} />
                    <span className="truncate font-mono text-xs">{key}</span>
                  </label>
                ))}
              </fieldset>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
