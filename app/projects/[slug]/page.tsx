import type { Metadata } from "next";
import { headers } from "next/headers";
import { BestRuns } from "@/components/dashboard/best-runs";
import { KpiCards } from "@/components/dashboard/kpi-cards";
import { requestsHref } from "@/components/promotions/links";
import { RecentActivity, RecentRuns } from "@/components/dashboard/recent-lists";
import { RunsPerDayChart } from "@/components/dashboard/runs-per-day";
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

/** The team dashboard: every number is one SQL aggregate, nothing loads runs into memory. */
export default async function ProjectDashboard({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await loadProject(slug);
  const caller = await serverCaller();
  const projectSlug = project.slug;
  const [kpis, pendingApprovals, perDay, recent, metricKeys, activity, origin] = await Promise.all([
    caller.dashboard.kpis({ projectSlug }),
    caller.promotions.pendingCount({ projectSlug }),
    caller.dashboard.runsPerDay({ projectSlug, days: 30 }),
    caller.dashboard.recentRuns({ projectSlug, limit: 8 }),
    caller.dashboard.metricKeys({ projectSlug }),
    caller.audit.list({ projectSlug, limit: 8 }),
    requestOrigin(),
  ]);
  if (recent.length === 0) {
    // A project without runs yet: how to log the first one, and what the project is.
    const [members, user] = await Promise.all([caller.members.list({ projectSlug }), signedInUser()]);
    return (
      <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
        <GettingStarted origin={origin} slug={projectSlug} canManageTokens={hasScope(project.role, "apiTokens:manage")} />
        <div>
          <ProjectFacts
            slug={projectSlug}
            memberCount={members.length}
            memberRole={project.memberRole}
            isAdminAccess={Boolean(user?.isAdmin) && project.memberRole !== "OWNER"}
          />
        </div>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <KpiCards kpis={kpis} pendingApprovals={pendingApprovals} requestsHref={requestsHref(projectSlug)} />
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <RunsPerDayChart series={perDay} />
        <BestRuns slug={projectSlug} metricKeys={metricKeys} />
      </div>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <RecentRuns slug={projectSlug} runs={recent} />
        <RecentActivity events={activity.events} />
      </div>
    </div>
  );
}
