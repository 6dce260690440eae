import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { WebhookManager } from "@/components/webhooks/webhook-manager";
import { hasScope } from "@/lib/rbac";
import { loadProject } from "../../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const project = await loadProject((await params).slug);
  // Viewers and members may not manage webhooks: for them this page does not exist.
  if (!hasScope(project.role, "webhooks:manage")) notFound();
  return <WebhookManager slug={project.slug} />;
}
