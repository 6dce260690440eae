import type { ReactNode } from "react";
import Link from "next/link";
import { datasetHref, datasetsHref } from "@/components/datasets/links";
import { LineageTabsLayout } from "@/components/lineage/lineage-tabs-layout";
import { datasetNameOf, loadDataset } from "../_lib";

export default async function DatasetLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string; name: string }> }) {
  const { slug, name } = await params;
  const dataset = await loadDataset(slug, datasetNameOf(name));
  const base = datasetHref(slug, dataset.name);
  const count = dataset.versions.length;
  return (
    <LineageTabsLayout
      label="Dataset"
      base={base}
      firstTab="Versions"
      align="baseline"
      heading={
        <>
          <Link href={datasetsHref(slug)} className="text-sm text-gray-500 hover:text-gray-700">
            Datasets
          </Link>
          <span className="text-gray-300">/</span>
          <h2 className="text-xl font-semibold text-gray-900">{dataset.name}</h2>
          <span className="text-sm text-gray-500">
            {count} {count === 1 ? "version" : "versions"}
          </span>
        </>
      }
    >
      {children}
    </LineageTabsLayout>
  );
}
