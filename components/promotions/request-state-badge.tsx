import type { PromotionRequestState } from "@/lib/model-registry-states";
import { Badge } from "../ui/badge";

const TONES = { PENDING: "amber", APPROVED: "green", REJECTED: "red", CANCELLED: "gray", SUPERSEDED: "gray", EXPIRED: "gray" } as const;

export function RequestStateBadge({ state }: { state: PromotionRequestState }) {
  return <Badge tone={TONES[state]}>{state.toLowerCase()}</Badge>;
}
