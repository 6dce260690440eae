import type { Metadata } from "next";
import Link from "next/link";
import { DescriptionCard } from "@/components/registry/description-card";
import { ModelCardPanel } from "@/components/model-cards/model-card-panel";
import { HistoryList } from "@/components/registry/history-list";
import { TransitionTimeline } from "@/components/registry/transition-timeline";
import { modelsHref, versionHref } from "@/components/registry/links";
import { AliasChip, StageBadge } from "@/components/registry/stage-badge";
import { versionCells } from "@/components/registry/version-cells";
import { TagEditor } from "@/components/registry/tag-editor";
import { runHref } from "@/components/tracking/run-links";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatDateTime } from "@/components/ui/format";
import { SimpleTable } from "@/components/ui/table";
import { hasScope } from "@/lib/rbac";
import { loadProject } from "../../_lib/project";
import { loadModel, modelNameOf } from "../_lib";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string; name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, name } = await params;
  return { title: (await loadModel(slug, modelNameOf(name))).model.name };
}

export default async function ModelPage({ params }: Params) {
  const { slug, name: segment } = await params;
  const [project, { model, versions, history }] = await Promise.all([loadProject(slug), loadModel(slug, modelNameOf(segment))]);
  const canEdit = hasScope(project.role, "registry:write");
  const target = { slug, name: model.name };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline gap-3">
        <Link href={modelsHref(slug)} className="text-sm text-gray-500 hover:text-gray-700">
          Models
        </Link>
        <span className="text-gray-300">/</span>
        <h2 className="text-xl font-semibold text-gray-900">{model.name}</h2>
        <span className="flex flex-wrap gap-1">
          {model.latestVersions.map((version) => (
            <StageBadge key={version.stage} stage={version.stage} version={version.version} />
          ))}
        </span>
      </div>
      <p className="text-sm text-gray-500">
        Created by {model.createdBy} on {formatDateTime(model.createdAt)} · last updated {formatDateTime(model.updatedAt)}
      </p>

      <div className="grid gap-6 lg:grid-cols-2">
        <DescriptionCard target={target} description={model.description} canEdit={canEdit} />
        <div className="space-y-6">
          <Card>
            <CardHeader title="Tags" />
            <CardBody>
              <TagEditor target={target} tags={model.tags} canEdit={canEdit} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Aliases" description="Set or move them on a version's page." />
            <CardBody>
              {model.aliases.length === 0 ? (
                <p className="text-sm text-gray-500">No aliases.</p>
              ) : (
                <ul className="flex flex-wrap gap-2" aria-label="Model aliases">
                  {model.aliases.map((alias) => (
                    <li key={alias.alias}>
                      <Link href={versionHref(slug, model.name, alias.version)}>
                        <AliasChip alias={alias.alias} version={alias.version} />
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </CardBody>
          </Card>
        </div>
      </div>

      <Card>
        <CardHeader title="Versions" />
        <SimpleTable
          label="Versions"
          headers={["Version", "Stage", "Aliases", "Source run", "Created by", "Created"]}
          rows={versions.map((version) => ({
            key: String(version.version),
            cells: [
              ...versionCells(slug, version),
              version.runId ? (
                <Link key="run" className="font-mono text-xs text-indigo-600 hover:underline" href={runHref(slug, version.runId)}>
                  {version.runId.slice(0, 12)}
                </Link>
              ) : (
                "—"
              ),
              version.createdBy,
              formatDateTime(version.createdAt),
            ],
          }))}
          empty="No versions yet."
        />
      </Card>

      <ModelCardPanel slug={slug} modelName={model.name} canEdit={hasScope(project.role, "modelCards:write")} />

      <Card>
        <CardHeader title="Timeline" description="Stage and alias transitions, newest first; pick a moment to see who held what then." />
        <CardBody>
          <TransitionTimeline slug={slug} name={model.name} history={history} />
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="History" description="Every change, newest first." />
        <CardBody>
          <HistoryList entries={history} />
        </CardBody>
      </Card>
    </div>
  );
}
