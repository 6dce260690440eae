import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { AliasEditor } from "@/components/registry/alias-editor";
import { DescriptionCard } from "@/components/registry/description-card";
import { StageBadge } from "@/components/registry/stage-badge";
import { StageControl } from "@/components/registry/stage-control";
import { TagEditor } from "@/components/registry/tag-editor";
import { VersionCompare } from "@/components/registry/version-compare";
import { VersionSignature } from "@/components/registry/version-signature";
import { ArtifactBrowser } from "@/components/tracking/artifact-browser";
import { formatMetric } from "@/components/tracking/format";
import { runHref } from "@/components/tracking/run-links";
import { RunStatusBadge } from "@/components/tracking/run-status";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatDateTime } from "@/components/ui/format";
import { ModelCardPanel } from "@/components/model-cards/model-card-panel";
import { RequestPromotionDialog } from "@/components/promotions/request-promotion-dialog";
import { VersionRequests } from "@/components/promotions/version-requests";
import { hasScope } from "@/lib/rbac";
import { loadProject } from "../../../../_lib/project";
import { loadModel, loadPendingRequests, loadVersion, loadVersionFilesRoot, modelNameOf } from "../../../_lib";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string; name: string; version: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, name, version } = await params;
  const detail = await loadVersion(slug, modelNameOf(name), Number(version));
  return { title: `${detail.version.modelName} v${detail.version.version}` };
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</dt>
      <dd className="mt-1 break-all text-sm text-gray-900">{children}</dd>
    </div>
  );
}

export default async function ModelVersionPage({ params }: Params) {
  const { slug, name: segment, version: versionSegment } = await params;
  const modelName = modelNameOf(segment);
  const [project, { version, sourceRun }, files, model, pending] = await Promise.all([
    loadProject(slug),
    loadVersion(slug, modelName, Number(versionSegment)),
    loadVersionFilesRoot(slug, modelName, Number(versionSegment)),
    loadModel(slug, modelName),
    loadPendingRequests(slug, modelName, Number(versionSegment)),
  ]);
  const others = model.versions.map((other) => other.version).filter((number) => number !== version.version);
  const canEdit = hasScope(project.role, "registry:write");
  const target = { slug, name: version.modelName, version: version.version };

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Overview" />
        <CardBody>
          <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <Fact label="Source">
              <code className="text-xs">{version.source}</code>
            </Fact>
            <Fact label="Storage location">
              <code className="text-xs">{version.storageLocation}</code>
            </Fact>
            <Fact label="Logged model">{version.loggedModelId ? <code className="text-xs">{version.loggedModelId}</code> : "—"}</Fact>
            <Fact label="Source run">
              {sourceRun ? (
                <span className="inline-flex flex-wrap items-center gap-2">
                  <Link className="text-indigo-600 hover:underline" href={runHref(slug, sourceRun.runId)}>
                    {sourceRun.name || sourceRun.runId}
                  </Link>
                  <RunStatusBadge status={sourceRun.status} />
                  {sourceRun.lifecycleStage === "deleted" ? <span className="text-xs text-red-600">deleted</span> : null}
                </span>
              ) : version.runId ? (
                <code className="text-xs">{version.runId}</code>
              ) : (
                "—"
              )}
            </Fact>
            <Fact label="Created">
              {formatDateTime(version.createdAt)} by {version.createdBy}
            </Fact>
            <Fact label="Last updated">{formatDateTime(version.updatedAt)}</Fact>
          </dl>
          {sourceRun && sourceRun.metrics.length ? (
            <div className="mt-4">
              <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">Source run metrics (latest)</h3>
              <ul className="mt-2 flex flex-wrap gap-2" aria-label="Source run metrics">
                {sourceRun.metrics.map((metric) => (
                  <li key={metric.key} className="rounded-md bg-gray-50 px-2 py-1 font-mono text-xs text-gray-700 ring-1 ring-inset ring-gray-200">
                    {metric.key} <span className="tabular-nums text-gray-900">{formatMetric(metric.value)}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </CardBody>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <DescriptionCard target={target} description={version.description} canEdit={canEdit} />
        <Card>
          <CardHeader title="Tags" />
          <CardBody>
            <TagEditor target={target} tags={version.tags} canEdit={canEdit} />
          </CardBody>
        </Card>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Stage" />
          <CardBody className="space-y-3">
            <p className="text-sm text-gray-700">
              Now in <StageBadge stage={version.stage} />
            </p>
            {canEdit ? <StageControl slug={slug} name={version.modelName} version={version.version} stage={version.stage} /> : null}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Aliases" />
          <CardBody>
            <AliasEditor slug={slug} name={version.modelName} version={version.version} aliases={version.aliases} canEdit={canEdit} />
          </CardBody>
        </Card>
      </div>
      <Card>
        <CardHeader
          title="Promotion requests"
          description="Moves to stages and aliases the approval policy gates wait for approval."
          actions={hasScope(project.role, "promotions:request") ? <RequestPromotionDialog slug={slug} name={version.modelName} version={version.version} /> : undefined}
        />
        <CardBody>
          <VersionRequests slug={slug} requests={pending} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Files" description={files.root ? <code className="text-xs">{version.storageLocation}</code> : undefined} />
        <CardBody>
          {files.root ? (
            <ArtifactBrowser
              slug={slug}
              label="Version files"
              source={{
                kind: "version",
                name: version.modelName,
                version: version.version,
                runId: files.root.kind === "run" ? files.root.runId : null,
                prefix: files.root.prefix,
              }}
            />
          ) : (
            <p className="text-sm text-gray-500">{files.problem}</p>
          )}
        </CardBody>
      </Card>

      {files.root ? (
        <Card>
          <CardHeader title="Signature" description="From the version's MLmodel file." />
          <CardBody>
            <VersionSignature slug={slug} name={version.modelName} version={version.version} />
          </CardBody>
        </Card>
      ) : null}

      <Card>
        <CardHeader title="Compare with another version" description="The two source runs' params, latest metrics and dataset inputs; differences are highlighted." />
        <CardBody>
          <VersionCompare slug={slug} name={version.modelName} version={version.version} others={others} />
        </CardBody>
      </Card>

      <ModelCardPanel
        slug={slug}
        modelName={version.modelName}
        version={version.version}
        canEdit={hasScope(project.role, "modelCards:write")}
      />
    </div>
  );
}
