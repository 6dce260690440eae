import type { Metadata } from "next";
import { PolicyEditor } from "@/components/settings/policy/policy-editor";
import { PolicyRevisions } from "@/components/settings/policy/revisions";
import { PolicyView } from "@/components/settings/policy/policy-view";
import { hasScope } from "@/lib/rbac";
import { serverCaller } from "@/server/trpc/rsc";
import { loadProject } from "../../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Approval policy" };

export default async function PolicySettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const project = await loadProject((await params).slug);
  const caller = await serverCaller();
  const [stored, revisions] = await Promise.all([
    caller.policy.get({ projectSlug: project.slug }),
    caller.policy.revisions({ projectSlug: project.slug }),
  ]);
  return (
    <>
      {hasScope(project.role, "policy:manage") ? (
        <PolicyEditor slug={project.slug} saved={{ document: stored.document, yaml: stored.yaml, revision: stored.revision }} />
      ) : (
        <PolicyView slug={project.slug} document={stored.document} yaml={stored.yaml} />
      )}
      <PolicyRevisions revisions={revisions} />
    </>
  );
}
