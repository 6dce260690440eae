import type { Metadata } from "next";
import { AuditLog } from "@/components/settings/audit-log";
import { loadProject } from "../../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ params }: { params: Promise<{ slug: string }> }) {
  const project = await loadProject((await params).slug);
  return <AuditLog slug={project.slug} />;
}
