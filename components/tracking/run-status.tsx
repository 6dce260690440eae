import type { RunStatus } from "@/lib/tracking-states";
import { Badge } from "../ui/badge";

const TONES: Record<RunStatus, "green" | "red" | "amber" | "indigo" | "gray"> = {
  FINISHED: "green",
  FAILED: "red",
  KILLED: "amber",
  RUNNING: "indigo",
  SCHEDULED: "gray",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  // Rows read with raw SQL are typed, not checked: a status outside the union still renders, in gray.
  return <Badge tone={TONES[status] ?? "gray"}>{status.toLowerCase()}</Badge>;
}
