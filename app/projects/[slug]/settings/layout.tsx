import type { ReactNode } from "react";
import { Tabs } from "@/components/projects/project-tabs";
import { hasScope } from "@/lib/rbac";
import { loadProject } from "../_lib/project";

export default async function SettingsLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await loadProject(slug);
  const base = `/projects/${project.slug}/settings`;
  const tabs = [
    { href: base, label: "General" },
    { href: `${base}/members`, label: "Members" },
    ...(hasScope(project.role, "apiTokens:manage") ? [{ href: `${base}/tokens`, label: "API tokens" }] : []),
    ...(hasScope(project.role, "webhooks:manage") ? [{ href: `${base}/webhooks`, label: "Webhooks" }] : []),
    { href: `${base}/audit`, label: "Audit log" },
    { href: `${base}/policy`, label: "Policy" },
  ];
  return (
    <div className="grid gap-6 md:grid-cols-[11rem_1fr]">
      <aside>
        <Tabs label="Settings" tabs={tabs} variant="side" />
      </aside>
      <div className="min-w-0 space-y-6">{children}</div>
    </div>
  );
}
