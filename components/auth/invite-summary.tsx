import { ROLE_LABELS, type Role } from "@/lib/rbac";

export function InviteSummary({ projectName, role }: { projectName: string; role: Role }) {
  return (
    <span>
      You are invited to the project <strong className="font-semibold text-gray-900">{projectName}</strong> as{" "}
      <strong className="font-semibold text-gray-900">{ROLE_LABELS[role]}</strong>.
    </span>
  );
}
