import type { StageOrAlias } from "@/lib/model-registry-states";
import { AliasChip, StageBadge } from "../registry/stage-badge";

/** A promotion's target as the registry pages draw it: a stage badge or an alias chip. */
export function TargetLabel({ target }: { target: StageOrAlias }) {
  return target.kind === "stage" ? <StageBadge stage={target.stage} /> : <AliasChip alias={target.alias} />;
}
