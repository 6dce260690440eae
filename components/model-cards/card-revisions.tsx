"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ProjectCardSection } from "@/lib/model-cards";
import { useTRPC } from "@/lib/trpc-client";
import { cn } from "../ui/cn";
import { formatDateTime } from "../ui/format";
import { diffCards } from "./card-diff";

const ROW_TONE = { same: "", removed: "bg-red-50", added: "bg-green-50", changed: "bg-amber-50" } as const;

/** The card's revisions, newest first; picking two shows what changed between them, side by side. */
export function CardRevisions({
  slug,
  modelName,
  version,
  projectSections,
}: {
  slug: string;
  modelName: string;
  version?: number;
  projectSections: readonly ProjectCardSection[];
}) {
  const trpc = useTRPC();
  const target = { projectSlug: slug, modelName, version };
  const revisions = useQuery(trpc.modelCards.revisions.queryOptions(target));
  const [picked, setPicked] = useState<number[]>([]);
  const [older, newer] = [...picked].sort((a, b) => a - b);
  const left = useQuery({ ...trpc.modelCards.revision.queryOptions({ ...target, revision: older ?? 1 }), enabled: older !== undefined && newer !== undefined });
  const right = useQuery({ ...trpc.modelCards.revision.queryOptions({ ...target, revision: newer ?? 1 }), enabled: older !== undefined && newer !== undefined });

  if (!revisions.data?.length) return <p className="text-sm text-gray-500">No revisions yet.</p>;
  const toggle = (revision: number) =>
    setPicked((current) => (current.includes(revision) ? current.filter((r) => r !== revision) : [...current, revision].slice(-2)));
  const sections = left.data && right.data ? diffCards(left.data.sections, right.data.sections, projectSections) : null;

  return (
    <div className="space-y-4">
      <ul className="divide-y divide-gray-100 text-sm" aria-label="Card revisions">
        {revisions.data.map((revision) => (
          <li key={revision.revision} className="flex items-center gap-3 py-1.5">
            <input
              type="checkbox"
              aria-label={`Compare revision ${revision.revision}`}
              checked={picked.includes(revision.revision)}
              onChange={() => toggle(revision.revision)}
            />
            <span className="font-medium">Revision {revision.revision}</span>
            <span className="text-gray-600">{revision.author}</span>
            <span className="text-gray-500">{formatDateTime(revision.createdAt)}</span>
            {revision.changeSummary ? <span className="text-gray-700">— {revision.changeSummary}</span> : null}
          </li>
        ))}
      </ul>
      {picked.length === 2 && !sections ? <p className="text-sm text-gray-500">Loading the two revisions…</p> : null}
      {sections ? (
        <div className="space-y-3" data-testid="card-diff">
          <p className="text-sm text-gray-700">
            Revision {older} → revision {newer}: {sections.length ? `${sections.length} section(s) changed` : "no changes"}
          </p>
          {sections.map((section) => (
            <table key={section.id} className="w-full table-fixed border border-gray-200 text-xs">
              <caption className="bg-gray-50 px-2 py-1 text-left font-medium text-gray-900">{section.title}</caption>
              <tbody className="font-mono">
                {section.rows.map((row, index) => (
                  <tr key={index} className={cn(ROW_TONE[row.change])} data-change={row.change}>
                    <td className="w-1/2 whitespace-pre-wrap border-r border-gray-200 px-2 py-0.5">{row.left ?? ""}</td>
                    <td className="w-1/2 whitespace-pre-wrap px-2 py-0.5">{row.right ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </div>
      ) : null}
    </div>
  );
}
