import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AddMemberForm } from "@/components/settings/add-member-form";
import { InviteLinks } from "@/components/settings/invite-links";
import { MembersTable } from "@/components/settings/members-table";
import { hasScope } from "@/lib/rbac";
import { signedInUser } from "@/server/trpc/rsc";
import { loadProject } from "../../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Members" };

export default async function MembersSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const project = await loadProject((await params).slug);
  const user = await signedInUser();
  if (!user) redirect("/signin");
  const canManage = hasScope(project.role, "members:manage");
  return (
    <>
      <MembersTable slug={project.slug} canManage={canManage} myUserId={user.userId} />
      {canManage ? <AddMemberForm slug={project.slug} /> : null}
      {canManage ? <InviteLinks slug={project.slug} /> : null}
    </>
  );
}
