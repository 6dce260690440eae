import { ROLE_LABELS, type Role } from "@/lib/rbac";
import { Badge } from "../ui/badge";

const TONES = { OWNER: "indigo", MAINTAINER: "green", MEMBER: "gray", VIEWER: "amber" } as const;

export function RoleBadge({ role }: { role: Role | null }) {
  if (!role) return <Badge>Admin access</Badge>;
  return <Badge tone={TONES[role]}>{ROLE_LABELS[role]}</Badge>;
}
