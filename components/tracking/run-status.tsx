import { Badge } from "../ui/badge";

const TONES = { FINISHED: "green", FAILED: "red", KILLED: "amber", RUNNING: "indigo", SCHEDULED: "gray" } as const;

export function RunStatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status as keyof typeof TONES] ?? "gray"}>{status.toLowerCase()}</Badge>;
}
