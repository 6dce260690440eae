"use client";

import { useState } from "react";
import type { ComparedParam, ComparedRun } from "@/server/services/compare";
import { cn } from "../ui/cn";

/** Params side by side; rows whose values differ are highlighted and can be shown alone. */
export function ParamDiff({ runs, params }: { runs: ComparedRun[]; params: ComparedParam[] }) {
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const shown = onlyDifferences ? params.filter((param) => param.differs) : params;
  return (
    <div className="space-y-2">
      <label className="flex items-center gap-2 text-sm text-gray-700">
        <input type="checkbox" checked={onlyDifferences} onChange={(event) => setOnlyDifferences(event.target.checked)} />
        Only differences ({params.filter((param) => param.differs).length} of {params.length})
      </label>
      <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white">
        <table className="min-w-full text-sm" aria-label="Parameters compared">
          <thead className="bg-gray-50">
            <tr>
              <th className="px-3 py-2 text-left text-xs font-semibold text-gray-600">Param</th>
              {runs.map((run) => (
                <th key={run.runId} className="px-3 py-2 text-left text-xs font-semibold text-gray-600">
                  {run.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {shown.map((param) => (
              <tr key={param.key} data-differs={param.differs} className={cn(param.differs && "bg-amber-50")}>
                <td className="px-3 py-1.5 font-mono text-xs text-gray-700">{param.key}</td>
                {param.values.map((value, index) => (
                  <td key={runs[index]!.runId} className={cn("px-3 py-1.5 font-mono text-xs", param.differs ? "font-semibold text-amber-900" : "text-gray-700")}>
                    {value ?? <span className="text-gray-400">—</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
