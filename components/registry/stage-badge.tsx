import type { ModelStage } from "@/lib/model-registry-states";
import { Badge } from "../ui/badge";

const TONES = { None: "gray", Staging: "amber", Production: "green", Archived: "red" } as const;

export function StageBadge({ stage, version }: { stage: ModelStage; version?: number }) {
  return (
    <Badge tone={TONES[stage]}>
      {stage}
      {version === undefined ? null : <span className="ml-1 font-mono">v{version}</span>}
    </Badge>
  );
}

export function AliasChip({ alias, version }: { alias: string; version?: number }) {
  return (
    <span className="inline-flex items-center rounded-md bg-indigo-50 px-2 py-0.5 font-mono text-xs text-indigo-700 ring-1 ring-inset ring-indigo-600/20">
      @{alias}
      {version === undefined ? null : <span className="ml-1 text-indigo-400">→ v{version}</span>}
    </span>
  );
}
