import Link from "next/link";
import type { Role } from "@/lib/rbac";
import { RoleBadge } from "./role-badge";
import { Tabs } from "./project-tabs";

export function ProjectHeader({ name, slug, role, decidableRequests }: { name: string; slug: string; role: Role | null; decidableRequests: number }) {
  const base = `/projects/${slug}`;
  return (
    <div className="border-b border-gray-200 bg-white">
      <div className="mx-auto max-w-7xl px-4 pt-6 sm:px-6">
        <nav aria-label="Breadcrumb" className="text-sm text-gray-500">
          <Link href="/projects" className="hover:text-gray-700">
            Projects
          </Link>
          <span className="mx-2">/</span>
          <span className="font-mono text-xs">{slug}</span>
        </nav>
        <div className="mt-2 flex items-center gap-3 pb-4">
          <h1 className="text-2xl font-semibold tracking-tight text-gray-900">{name}</h1>
          <RoleBadge role={role} />
        </div>
        <Tabs
          label="Project"
          tabs={[
            { href: base, label: "Dashboard" },
            { href: `${base}/experiments`, label: "Experiments", prefix: true },
            { href: `${base}/models`, label: "Models", prefix: true },
            { href: `${base}/datasets`, label: "Datasets", prefix: true },
            { href: `${base}/requests`, label: "Requests", prefix: true, badge: decidableRequests, badgeLabel: "waiting for your decision" },
            { href: `${base}/settings`, label: "Settings", prefix: true },
          ]}
        />
      </div>
    </div>
  );
}
