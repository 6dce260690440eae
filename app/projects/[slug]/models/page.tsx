import type { Metadata } from "next";
import { ModelsTable } from "@/components/registry/models-table";
import { loadProject } from "../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await loadProject(slug);
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-xl font-semibold text-gray-900">Registered models</h2>
        <p className="mt-1 text-sm text-gray-500">Versions, stages and aliases of the project&apos;s models. Register a version from a run&apos;s page.</p>
      </div>
      <ModelsTable slug={slug} />
    </div>
  );
}
