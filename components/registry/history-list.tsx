import type { RegistryEventKind } from "@/lib/model-registry-states";
import type { RegistryHistoryEntry } from "@/server/services/registry";
import { formatDateTime } from "../ui/format";

const WHAT: Record<RegistryEventKind, string> = {
  "model.create": "Model created",
  "model.rename": "Model renamed",
  "model.update": "Description changed",
  "model.delete": "Model deleted",
  "model.tag_set": "Tag set",
  "model.tag_delete": "Tag removed",
  "version.create": "Version registered",
  "version.update": "Description changed",
  "version.delete": "Version deleted",
  "version.tag_set": "Tag set",
  "version.tag_delete": "Tag removed",
  "version.stage": "Stage changed",
  "alias.set": "Alias set",
  "alias.delete": "Alias removed",
  "card.update": "Model card saved",
  "promotion.request": "Promotion requested",
  "promotion.approve": "Promotion approved",
  "promotion.reject": "Promotion rejected",
  "promotion.cancel": "Promotion request cancelled",
  "promotion.supersede": "Promotion request superseded",
  "promotion.expire": "Promotion request expired",
};

const MAX_SHOWN = 80;

/** One side of a change, short: `stage: Production`, `team=growth`, a clipped description. */
function side(kind: RegistryEventKind, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "object") return String(value);
  const record = value as Record<string, unknown>;
  let text: string;
  if (kind.startsWith("alias.")) text = `@${String(record.alias)} → v${String(record.version)}`;
  else if (kind.endsWith("tag_set") || kind.endsWith("tag_delete")) text = Object.entries(record).map(([key, v]) => `${key}=${String(v)}`).join(", ");
  else if (kind === "version.stage") text = String(record.stage);
  else if (kind === "card.update") text = `revision ${String(record.revision)}${record.changeSummary ? `: ${String(record.changeSummary)}` : ""}`;
  else if (kind.endsWith(".update")) text = record.description === null || record.description === "" ? "(empty)" : String(record.description);
  else if (kind === "model.rename") text = String(record.name);
  else text = Object.entries(record).filter(([, v]) => v !== null && v !== undefined).map(([key, v]) => `${key}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(", ");
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text || "—";
}

/** A model's history, newest first: what changed, who did it, when, before → after. */
export function HistoryList({ entries }: { entries: RegistryHistoryEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-gray-500">No changes recorded.</p>;
  return (
    <ol aria-label="History" className="divide-y divide-gray-100">
      {entries.map((entry) => (
        <li key={entry.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm" data-kind={entry.kind}>
          <span className="font-medium text-gray-900">
            {WHAT[entry.kind] ?? entry.kind}
            {entry.version !== null ? <span className="ml-1 font-mono text-xs text-gray-500">v{entry.version}</span> : null}
          </span>
          <span className="font-mono text-xs text-gray-700">
            <span className="text-gray-500">{side(entry.kind, entry.before)}</span> → <span>{side(entry.kind, entry.after)}</span>
          </span>
          <span className="ml-auto text-xs text-gray-500">
            {entry.actorLabel} · {formatDateTime(entry.createdAt)}
          </span>
        </li>
      ))}
    </ol>
  );
}
