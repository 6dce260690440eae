import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TokenManager } from "@/components/settings/token-manager";
import { hasScope } from "@/lib/rbac";
import { loadProject } from "../../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

export default async function TokensSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const project = await loadProject((await params).slug);
  // Viewers and members may not manage tokens: for them this page does not exist.
  if (!hasScope(project.role, "apiTokens:manage")) notFound();
  return <TokenManager slug={project.slug} />;
}
