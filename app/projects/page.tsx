import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { NewProjectForm } from "@/components/projects/new-project-form";
import { ProjectList } from "@/components/projects/project-list";
import { serverCaller } from "@/server/trpc/rsc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const caller = await serverCaller();
  const [me, projects] = await Promise.all([caller.account.me(), caller.projects.list()]);
  return (
    <main className="mx-auto max-w-7xl space-y-6 px-4 py-8 sm:px-6">
      <PageHeader
        title="Projects"
        description={me.isAdmin ? "As an instance administrator you see every project." : "The projects you are a member of."}
      />
      <ProjectList projects={projects} isAdmin={me.isAdmin} />
      {me.isAdmin ? <NewProjectForm /> : null}
    </main>
  );
}
