import type { ReactNode } from "react";
import { ProjectHeader } from "@/components/projects/project-header";
import { loadDecidableCount, loadProject } from "./_lib/project";

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await loadProject(slug);
  const decidable = await loadDecidableCount(slug);
  return (
    <>
      <ProjectHeader name={project.name} slug={project.slug} role={project.memberRole} decidableRequests={decidable} />
      <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6">{children}</main>
    </>
  );
}
