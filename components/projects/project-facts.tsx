import Link from "next/link";
import type { Role } from "@/lib/rbac";
import { Card, CardBody, CardHeader } from "../ui/card";
import { RoleBadge } from "./role-badge";

export function ProjectFacts({
  slug,
  memberCount,
  memberRole,
  isAdminAccess,
}: {
  slug: string;
  memberCount: number;
  memberRole: Role | null;
  isAdminAccess: boolean;
}) {
  return (
    <Card>
      <CardHeader title="About this project" />
      <CardBody>
        <dl className="space-y-3 text-sm">
          <div className="flex items-center justify-between gap-2">
            <dt className="text-gray-500">Slug</dt>
            <dd className="font-mono text-xs text-gray-900">{slug}</dd>
          </div>
          <div className="flex items-center justify-between gap-2">
            <dt className="text-gray-500">Members</dt>
            <dd>
              <Link href={`/projects/${slug}/settings/members`} className="font-medium text-indigo-600 hover:text-indigo-500" data-testid="member-count">
                {memberCount} {memberCount === 1 ? "member" : "members"}
              </Link>
            </dd>
          </div>
          <div className="flex items-center justify-between gap-2">
            <dt className="text-gray-500">Your role</dt>
            <dd>
              <RoleBadge role={memberRole} />
            </dd>
          </div>
          {isAdminAccess ? (
            <p className="rounded-md bg-gray-50 px-3 py-2 text-xs text-gray-500">
              As an instance administrator you have owner access to every project.
            </p>
          ) : null}
        </dl>
      </CardBody>
    </Card>
  );
}
