import type { ComparedMetric, ComparedRun } from "@/server/services/compare";
import { formatMetric } from "../tracking/format";

/** Last, min and max of every metric for each run. */
export function MetricSummary({ runs, metrics }: { runs: ComparedRun[]; metrics: ComparedMetric[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white">
      <table className="min-w-full text-sm" aria-label="Metrics compared">
        <thead className="bg-gray-50">
          <tr>
            <th className="px-3 py-2 text-left text-xs font-semibold text-gray-600">Metric</th>
            {runs.map((run) => (
              <th key={run.runId} className="px-3 py-2 text-left text-xs font-semibold text-gray-600">
                {run.name}
                <span className="block font-normal text-gray-400">last · min · max</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {metrics.map((metric) => (
            <tr key={metric.key}>
              <td className="px-3 py-1.5 font-mono text-xs text-gray-700">{metric.key}</td>
              {metric.values.map((value, index) => (
                <td key={runs[index]!.runId} className="px-3 py-1.5 font-mono text-xs tabular-nums">
                  {value ? (
                    <>
                      <span className="font-semibold text-gray-900">{formatMetric(value.last)}</span>
                      <span className="text-gray-500"> · {formatMetric(value.min)} · {formatMetric(value.max)}</span>
                    </>
                  ) : (
                    <span className="text-gray-400">—</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
