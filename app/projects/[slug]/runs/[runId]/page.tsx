import type { Metadata } from "next";
import Link from "next/link";
import { RegisterModel } from "@/components/registry/register-model";
import { versionCells } from "@/components/registry/version-cells";
import { ArtifactBrowser } from "@/components/tracking/artifact-browser";
import { formatMetric } from "@/components/tracking/format";
import { RunCharts } from "@/components/tracking/run-charts";
import { runHref } from "@/components/tracking/run-links";
import { RunNote } from "@/components/tracking/run-note";
import { ReproducePanel } from "@/components/tracking/reproduce-panel";
import { RunOverview } from "@/components/tracking/run-overview";
import { RunStatusBadge } from "@/components/tracking/run-status";
import { RunTags } from "@/components/tracking/run-tags";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { SimpleTable } from "@/components/ui/table";
import { hasScope } from "@/lib/rbac";
import { RUN_NOTE_TAG } from "@/lib/schemas/tracking-ui";
import { findOr404, serverCaller } from "@/server/trpc/rsc";
import { loadProject } from "../../_lib/project";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string; runId: string }> };

async function loadRegistry(slug: string, runId: string) {
  const caller = await serverCaller();
  return findOr404(() => caller.registry.forRun({ projectSlug: slug, runId }));
}

async function loadRun(slug: string, runId: string) {
  const caller = await serverCaller();
  return findOr404(() => caller.runs.get({ projectSlug: slug, runId }));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, runId } = await params;
  const detail = await loadRun(slug, runId);
  return { title: detail.run.name || runId };
}

export default async function RunPage({ params }: Params) {
  const { slug, runId } = await params;
  const [project, detail, registry] = await Promise.all([loadProject(slug), loadRun(slug, runId), loadRegistry(slug, runId)]);
  const { run } = detail;
  const canEdit = hasScope(project.role, "runs:write") && run.lifecycleStage === "active";
  const canRegister = hasScope(project.role, "registry:write");
  // MLflow's own tags and the SDK's source tags are shown where they mean something (overview, Reproduce).
  const userTags = run.tags.filter((tag) => !tag.key.startsWith("mlflow.") && !tag.key.startsWith("tally.source."));
  const note = run.tags.find((tag) => tag.key === RUN_NOTE_TAG)?.value ?? "";

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-xl font-semibold text-gray-900">{run.name}</h2>
        <RunStatusBadge status={run.status} />
        {run.lifecycleStage === "deleted" ? <span className="text-sm text-red-600">deleted</span> : null}
        <code className="text-xs text-gray-500">{run.id}</code>
      </div>

      <Card>
        <CardBody>
          <RunOverview slug={slug} detail={detail} />
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Metrics" description="Downsampled on the server: min, max and last value per bucket." />
        <CardBody>
          <RunCharts slug={slug} runId={runId} runStart={run.startTime} metricKeys={run.metrics.map((metric) => metric.key)} />
        </CardBody>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Parameters" />
          <SimpleTable
            label="Parameters"
            headers={["Name", "Value"]}
            rows={run.params.map((param) => ({ key: param.key, cells: [param.key, param.value], className: "break-all font-mono text-xs" }))}
            empty="No parameters."
          />
        </Card>
        <Card>
          <CardHeader title="Latest metric values" />
          <SimpleTable
            label="Latest metric values"
            headers={["Metric", "Value", "Step"]}
            rows={run.metrics.map((metric) => ({ key: metric.key, cells: [metric.key, formatMetric(metric.value), metric.step], className: "tabular-nums" }))}
            empty="No metrics."
          />
        </Card>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Note" />
          <CardBody>
            <RunNote slug={slug} runId={runId} note={note} canEdit={canEdit} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Tags" />
          <CardBody>
            <RunTags slug={slug} runId={runId} tags={userTags} canEdit={canEdit} />
          </CardBody>
        </Card>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Dataset inputs" />
          <SimpleTable
            label="Dataset inputs"
            headers={["Dataset", "Digest", "Context", "Source"]}
            rows={run.datasetInputs.map(({ dataset, tags }) => ({
              key: `${dataset.name}-${dataset.digest}`,
              cells: [
                dataset.name,
                <code key="digest" className="text-xs">{dataset.digest}</code>,
                tags.find((tag) => tag.key === "mlflow.data.context")?.value ?? "—",
                <span key="source" title={dataset.source}>{dataset.sourceType}</span>,
              ],
            }))}
            empty="No datasets logged."
          />
        </Card>
        <Card>
          <CardHeader title="Child runs" />
          <CardBody>
            {detail.children.length === 0 ? (
              <p className="text-sm text-gray-500">No child runs.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {detail.children.map((child) => (
                  <li key={child.runId} className="flex items-center gap-2">
                    <Link className="text-indigo-600 hover:underline" href={runHref(slug, child.runId)}>
                      {child.name}
                    </Link>
                    <RunStatusBadge status={child.status} />
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
      </div>

      <Card>
        <CardHeader title="Reproduce" description="What the run recorded about its code, environment, data and command, and a script that runs it again." />
        <CardBody>
          <ReproducePanel slug={slug} runId={runId} />
        </CardBody>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Logged models" description={canRegister ? "Register one as a version of a registered model." : undefined} />
          <CardBody>
            {registry.loggedModels.length === 0 ? (
              <p className="text-sm text-gray-500">This run logged no models.</p>
            ) : canRegister ? (
              <div className="space-y-4 divide-y divide-gray-100">
                {registry.loggedModels.map((model) => (
                  <RegisterModel key={model.modelId} slug={slug} runId={runId} loggedModel={model} />
                ))}
              </div>
            ) : (
              <ul className="space-y-1 text-sm" aria-label="Logged models">
                {registry.loggedModels.map((model) => (
                  <li key={model.modelId} className="flex items-center gap-2">
                    <span className="font-mono">{model.name}</span>
                    <code className="text-xs text-gray-400">{model.modelId}</code>
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Registered versions" description="Model versions registered from this run." />
          <SimpleTable
            label="Registered versions"
            headers={["Model", "Version", "Stage", "Aliases"]}
            rows={registry.versions.map((version) => ({
              key: `${version.modelName}/${version.version}`,
              cells: [
                version.modelName,
                ...versionCells(slug, version),
              ],
            }))}
            empty="No versions registered from this run."
          />
        </Card>
      </div>

      <Card>
        <CardHeader title="Artifacts" />
        <CardBody>
          <ArtifactBrowser slug={slug} source={{ kind: "run", runId }} />
        </CardBody>
      </Card>
    </div>
  );
}
