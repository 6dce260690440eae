import type { Metadata } from "next";
import { headers } from "next/headers";
import { GettingStarted } from "@/components/projects/getting-started";
import { ProjectFacts } from "@/components/projects/project-facts";
import { hasScope } from "@/lib/rbac";
import { serverCaller, signedInUser } from "@/server/trpc/rsc";
import { loadProject } from "./_lib/project";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const project = await loadProject((await params).slug);
  return { title: project.name };
}

async function requestOrigin(): Promise<string> {
  const list = await headers();
  const host = list.get("x-forwarded-host") ?? list.get("host") ?? "localhost:3000";
  const proto = list.get("x-forwarded-proto")?.split(",")[0] ?? "http";
  return `${proto}://${host}`;
}

export default async function ProjectHome({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await loadProject(slug);
  const [members, user, origin] = await Promise.all([
    (await serverCaller()).members.list({ projectSlug: slug }),
    signedInUser(),
    requestOrigin(),
  ]);
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
      <GettingStarted origin={origin} slug={project.slug} canManageTokens={hasScope(project.role, "apiTokens:manage")} />
      <div>
        <ProjectFacts
          slug={project.slug}
          memberCount={members.length}
          memberRole={project.memberRole}
          isAdminAccess={Boolean(user?.isAdmin) && project.memberRole !== "OWNER"}
        />
      </div>
    </div>
  );
}
