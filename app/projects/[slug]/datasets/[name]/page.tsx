import type { Metadata } from "next";
import Link from "next/link";
import { DatasetDocumentView } from "@/components/datasets/dataset-document";
import { datasetLineageHref } from "@/components/datasets/links";
import { SchemaDiff } from "@/components/datasets/schema-diff";
import { VersionRuns } from "@/components/datasets/version-runs";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatDateTime } from "@/components/ui/format";
import { loadProject } from "../../_lib/project";
import { datasetNameOf, loadDataset } from "../_lib";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string; name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, name } = await params;
  return { title: (await loadDataset(slug, datasetNameOf(name))).name };
}

export default async function DatasetPage({ params }: Params) {
  const { slug, name: segment } = await params;
  const [, dataset] = await Promise.all([loadProject(slug), loadDataset(slug, datasetNameOf(segment))]);
  const { versions } = dataset;

  return (
    <div className="space-y-6">
      {versions.length > 1 ? (
        <Card>
          <CardHeader title="Schema diff" description="Columns added, removed or retyped between two versions." />
          <CardBody>
            <SchemaDiff slug={slug} name={dataset.name} digests={versions.map((version) => version.digest)} />
          </CardBody>
        </Card>
      ) : null}

      {versions.map((version) => (
        <Card key={version.digest}>
          <CardHeader
            title={version.digest}
            actions={
              <Link href={datasetLineageHref(slug, dataset.name, version.digest)} className={buttonClasses("secondary", "sm")} aria-label={`Lineage of ${version.digest}`}>
                Lineage
              </Link>
            }
            description={
              version.firstLoggedAt === null
                ? "Not used by a run"
                : `First logged by ${version.firstLoggedBy || "an unknown user"} on ${formatDateTime(new Date(version.firstLoggedAt))} · ${version.runCount.toLocaleString("en")} ${version.runCount === 1 ? "run" : "runs"}`
            }
          />
          <CardBody className="space-y-4">
            <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
              <dt className="text-gray-500">Source type</dt>
              <dd className="font-mono">{version.sourceType}</dd>
              <dt className="text-gray-500">Source</dt>
              <dd className="break-all font-mono" title={version.source}>
                {version.sourceUri}
              </dd>
            </dl>
            <div className="grid gap-4 lg:grid-cols-2">
              <div>
                <h3 className="mb-1 text-sm font-semibold text-gray-900">Schema</h3>
                {version.columns ? (
                  <ul aria-label={`Columns of ${version.digest}`} className="space-y-0.5 font-mono text-xs">
                    {version.columns.map((column) => (
                      <li key={column.name}>
                        {column.name}: {column.type}
                        {column.required ? "" : " (optional)"}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <DatasetDocumentView document={version.schema} label="schema" />
                )}
              </div>
              <div>
                <h3 className="mb-1 text-sm font-semibold text-gray-900">Profile</h3>
                <DatasetDocumentView document={version.profile} label="profile" />
              </div>
            </div>
            <VersionRuns slug={slug} name={dataset.name} version={version} />
          </CardBody>
        </Card>
      ))}
    </div>
  );
}
