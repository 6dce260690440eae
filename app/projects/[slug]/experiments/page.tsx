import type { Metadata } from "next";
import { ExperimentsManager } from "@/components/tracking/experiments-manager";
import { hasScope } from "@/lib/rbac";
import { loadProject } from "../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Experiments" };

export default async function ExperimentsPage({ params }: { params: Promise<{ slug: string }> }) {
  const project = await loadProject((await params).slug);
  return (
    <ExperimentsManager
      slug={project.slug}
      canWrite={hasScope(project.role, "runs:write")}
      canDelete={hasScope(project.role, "runs:delete")}
    />
  );
}
