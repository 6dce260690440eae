import Link from "next/link";
import type { ReactNode } from "react";
import type { CheckResult, EvidenceSide, PromotionEvidence } from "@/server/services/promotions";
import { versionHref } from "../registry/links";
import { StageBadge } from "../registry/stage-badge";
import { formatMetric } from "../tracking/format";
import { runHref } from "../tracking/run-links";
import { Badge } from "../ui/badge";
import { cn } from "../ui/cn";
import { formatDateTime } from "../ui/format";

type Direction = PromotionEvidence["metrics"][number]["direction"];

/** Better, worse or the same, as the policy's rule for the metric reads it; null without a rule. */
function verdict(direction: Direction, candidate: number | null, holder: number | null): "better" | "worse" | "same" | null {
  if (direction === null || candidate === null || holder === null) return null;
  if (candidate === holder) return "same";
  if (direction === "equal") return "worse";
  return (direction === "higher") === candidate > holder ? "better" : "worse";
}

function Delta({ direction, candidate, holder }: { direction: Direction; candidate: number | null; holder: number | null }) {
  if (candidate === null || holder === null) return <span className="text-gray-400">—</span>;
  const delta = candidate - holder;
  const judged = verdict(direction, candidate, holder);
  return (
    <span
      data-verdict={judged ?? "none"}
      className={cn("tabular-nums", judged === "better" ? "text-green-700" : judged === "worse" ? "text-red-700" : "text-gray-600")}
    >
      {delta > 0 ? "+" : ""}
      {formatMetric(delta)}
      {judged === "better" || judged === "worse" ? <span className="ml-1 text-xs">({judged})</span> : null}
    </span>
  );
}

function Th({ children }: { children: ReactNode }) {
  return <th className="px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-gray-500">{children}</th>;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="space-y-2">
      <h3 className="text-sm font-semibold text-gray-900">{title}</h3>
      {children}
    </section>
  );
}

function SideHeading({ slug, name, side, label }: { slug: string; name: string; side: EvidenceSide | null; label: string }) {
  if (!side) return <span className="text-gray-500">{label}: no version holds the target</span>;
  return (
    <span className="inline-flex items-center gap-2">
      {label}:{" "}
      <Link className="font-medium text-indigo-600 hover:underline" href={versionHref(slug, name, side.version)}>
        v{side.version}
      </Link>
      <StageBadge stage={side.stage} />
    </span>
  );
}

function RunCell({ slug, side }: { slug: string; side: EvidenceSide | null }) {
  if (!side?.runId) return <span className="text-gray-400">—</span>;
  return (
    <Link className="text-indigo-600 hover:underline" href={runHref(slug, side.runId)}>
      {side.runName || side.runId}
    </Link>
  );
}

function Datasets({ side }: { side: EvidenceSide | null }) {
  if (!side || side.datasets.length === 0) return <span className="text-gray-400">none</span>;
  return (
    <ul className="space-y-0.5">
      {side.datasets.map((dataset) => (
        <li key={`${dataset.name}-${dataset.digest}`} className="font-mono text-xs">
          {dataset.name} <span className="text-gray-500">#{dataset.digest}</span>
          {dataset.context ? <span className="text-gray-400"> ({dataset.context})</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** Card completeness; whether an empty section matters is the card check's to say (see the checks). */
function CardCompleteness({ side }: { side: EvidenceSide | null }) {
  if (!side) return <span className="text-gray-400">—</span>;
  return (
    <span className="text-xs">
      {side.cardFilled.length} filled
      {side.cardMissing.length ? <span className="text-gray-500"> · empty: {side.cardMissing.join(", ")}</span> : null}
    </span>
  );
}

const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);

/** The candidate against the current holder, side by side; differences highlighted, deltas coloured by the policy's direction. */
export function EvidenceComparison({ slug, name, evidence }: { slug: string; name: string; evidence: PromotionEvidence }) {
  const { candidate, holder } = evidence;
  const facts: { label: string; candidate: ReactNode; holder: ReactNode; changed: boolean }[] = [
    { label: "Source run", candidate: <RunCell slug={slug} side={candidate} />, holder: <RunCell slug={slug} side={holder} />, changed: false },
    {
      label: "Git commit",
      candidate: <code className="text-xs">{candidate.gitCommit ?? "—"}</code>,
      holder: <code className="text-xs">{holder?.gitCommit ?? "—"}</code>,
      changed: holder !== null && candidate.gitCommit !== holder.gitCommit,
    },
    { label: "Datasets", candidate: <Datasets side={candidate} />, holder: <Datasets side={holder} />, changed: holder !== null && differs(candidate.datasets, holder.datasets) },
    { label: "Model card", candidate: <CardCompleteness side={candidate} />, holder: <CardCompleteness side={holder} />, changed: holder !== null && differs(candidate.cardMissing, holder.cardMissing) },
  ];
  return (
    <div className="space-y-6">
      <p className="text-xs text-gray-500">Computed {formatDateTime(evidence.computedAt)}</p>
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-gray-200 text-sm" aria-label="Candidate and current holder">
          <thead className="bg-gray-50">
            <tr>
              <Th>&nbsp;</Th>
              <Th>
                <SideHeading slug={slug} name={name} side={candidate} label="Candidate" />
              </Th>
              <Th>
                <SideHeading slug={slug} name={name} side={holder} label="Current holder" />
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {facts.map((fact) => (
              <tr key={fact.label} className={fact.changed ? "bg-amber-50" : undefined}>
                <td className="px-3 py-2 text-xs font-medium uppercase tracking-wide text-gray-500">{fact.label}</td>
                <td className="px-3 py-2 align-top">{fact.candidate}</td>
                <td className="px-3 py-2 align-top">{fact.holder}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <Section title="Metrics">
        {evidence.metrics.length === 0 ? (
          <p className="text-sm text-gray-500">Neither source run logged metrics.</p>
        ) : (
          <table className="min-w-full divide-y divide-gray-200 text-sm" aria-label="Metrics">
            <thead className="bg-gray-50">
              <tr>
                <Th>Metric</Th>
                <Th>Candidate</Th>
                <Th>Holder</Th>
                <Th>Delta</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {evidence.metrics.map((metric) => (
                <tr key={metric.key} data-metric={metric.key}>
                  <td className="px-3 py-1.5 font-mono text-xs">
                    {metric.key}
                    {metric.direction ? <span className="ml-2 text-gray-400">({metric.direction === "equal" ? "must equal" : `${metric.direction} is better`})</span> : null}
                  </td>
                  <td className="px-3 py-1.5 tabular-nums">{formatMetric(metric.candidate)}</td>
                  <td className="px-3 py-1.5 tabular-nums">{formatMetric(metric.holder)}</td>
                  <td className="px-3 py-1.5">
                    <Delta direction={metric.direction} candidate={metric.candidate} holder={metric.holder} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title={holder ? "Params that differ" : "Params"}>
        {evidence.params.length === 0 ? (
          <p className="text-sm text-gray-500">{holder ? "The two runs used the same params." : "The source run logged no params."}</p>
        ) : (
          <table className="min-w-full divide-y divide-gray-200 text-sm" aria-label="Params">
            <thead className="bg-gray-50">
              <tr>
                <Th>Param</Th>
                <Th>Candidate</Th>
                <Th>Holder</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {evidence.params.map((param) => (
                <tr key={param.key}>
                  <td className="px-3 py-1.5 font-mono text-xs">{param.key}</td>
                  <td className="px-3 py-1.5 font-mono text-xs">{param.candidate ?? "—"}</td>
                  <td className="px-3 py-1.5 font-mono text-xs text-gray-600">{param.holder ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}

function checkTitle(check: CheckResult): string {
  switch (check.kind) {
    case "metric":
      return check.rule;
    case "card":
      return "Model card sections";
    case "dataset":
      return "Dataset with a digest";
    default:
      return "Freeze window";
  }
}

/** Each check of the policy's gate, passed or failed, with the numbers it compared. */
export function CheckList({ checks }: { checks: CheckResult[] }) {
  if (checks.length === 0) return <p className="text-sm text-gray-500">The policy sets no checks for this target.</p>;
  return (
    <ul aria-label="Checks" className="space-y-1.5">
      {checks.map((check, index) => (
        <li key={`${check.kind}-${index}`} data-passed={check.passed} className="flex flex-wrap items-baseline gap-2 text-sm">
          <Badge tone={check.passed ? "green" : "red"}>{check.passed ? "pass" : "fail"}</Badge>
          <span className="font-mono text-xs text-gray-900">{checkTitle(check)}</span>
          <span className="text-gray-600">{check.detail}</span>
        </li>
      ))}
    </ul>
  );
}
