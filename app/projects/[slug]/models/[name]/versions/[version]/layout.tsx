import type { ReactNode } from "react";
import Link from "next/link";
import { LineageTabsLayout } from "@/components/lineage/lineage-tabs-layout";
import { modelHref, modelsHref, versionHref } from "@/components/registry/links";
import { StageBadge } from "@/components/registry/stage-badge";
import { loadVersion, modelNameOf } from "../../../_lib";

type Props = { children: ReactNode; params: Promise<{ slug: string; name: string; version: string }> };

export default async function ModelVersionLayout({ children, params }: Props) {
  const { slug, name, version: versionSegment } = await params;
  const { version } = await loadVersion(slug, modelNameOf(name), Number(versionSegment));
  const base = versionHref(slug, version.modelName, version.version);
  return (
    <LineageTabsLayout
      label="Model version"
      base={base}
      firstTab="Overview"
      align="baseline"
      heading={
        <>
          <Link href={modelsHref(slug)} className="text-sm text-gray-500 hover:text-gray-700">
            Models
          </Link>
          <span className="text-gray-300">/</span>
          <Link href={modelHref(slug, version.modelName)} className="text-sm text-gray-500 hover:text-gray-700">
            {version.modelName}
          </Link>
          <span className="text-gray-300">/</span>
          <h2 className="text-xl font-semibold text-gray-900">Version {version.version}</h2>
          <StageBadge stage={version.stage} />
        </>
      }
    >
      {children}
    </LineageTabsLayout>
  );
}
