import type { Metadata } from "next";
import { CardSectionsSettings } from "@/components/settings/card-sections";
import { DeleteProject } from "@/components/settings/delete-project";
import { ProjectGeneral } from "@/components/settings/project-general";
import { hasScope } from "@/lib/rbac";
import { loadProject } from "../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function GeneralSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const project = await loadProject((await params).slug);
  return (
    <>
      <ProjectGeneral slug={project.slug} name={project.name} canRename={hasScope(project.role, "project:update")} />
      <CardSectionsSettings slug={project.slug} canConfigure={hasScope(project.role, "modelCards:configure")} />
      {hasScope(project.role, "project:delete") ? <DeleteProject slug={project.slug} name={project.name} /> : null}
    </>
  );
}
