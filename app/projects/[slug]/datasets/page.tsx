import type { Metadata } from "next";
import { DatasetsTable } from "@/components/datasets/datasets-table";
import { loadProject } from "../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await loadProject(slug);
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-xl font-semibold text-gray-900">Datasets</h2>
        <p className="mt-1 text-sm text-gray-500">The data the project&apos;s runs consumed. Each distinct digest of a name is a version.</p>
      </div>
      <DatasetsTable slug={slug} />
    </div>
  );
}
