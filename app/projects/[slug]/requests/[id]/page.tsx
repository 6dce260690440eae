import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { RequestActions } from "@/components/promotions/request-actions";
import { CheckList, EvidenceComparison } from "@/components/promotions/request-evidence";
import { requestsHref } from "@/components/promotions/links";
import { RequestStateBadge } from "@/components/promotions/request-state-badge";
import { TargetLabel } from "@/components/promotions/target-label";
import { modelHref, versionHref } from "@/components/registry/links";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatDateTime } from "@/components/ui/format";
import { stageOrAliasLabel } from "@/lib/model-registry-states";
import { findOr404, serverCaller } from "@/server/trpc/rsc";
import { loadProject } from "../../_lib/project";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string; id: string }> };

const loadRequest = cache(async (slug: string, id: string) => {
  const caller = await serverCaller();
  return findOr404(() => caller.promotions.get({ projectSlug: slug, id }));
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, id } = await params;
  const { request } = await loadRequest(slug, id);
  return { title: `Request: ${request.modelName} v${request.version} → ${stageOrAliasLabel(request.target)}` };
}

export default async function PromotionRequestPage({ params }: Params) {
  const { slug, id } = await params;
  await loadProject(slug);
  const { request, abilities } = await loadRequest(slug, id);
  const { evidence } = request;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <Link href={requestsHref(slug)} className="text-sm text-gray-500 hover:text-gray-700">
          Requests
        </Link>
        <span className="text-gray-300">/</span>
        <h2 className="flex flex-wrap items-center gap-2 text-xl font-semibold text-gray-900">
          <Link className="text-indigo-600 hover:underline" href={modelHref(slug, request.modelName)}>
            {request.modelName}
          </Link>
          <Link className="text-indigo-600 hover:underline" href={versionHref(slug, request.modelName, request.version)}>
            v{request.version}
          </Link>
          <span className="text-gray-400">→</span>
          <TargetLabel target={request.target} />
        </h2>
        <RequestStateBadge state={request.state} />
      </div>

      <Card>
        <CardBody>
          <dl className="grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">Requested by</dt>
              <dd className="mt-1 text-gray-900">
                {request.requester.label} {request.requester.type === "TOKEN" ? <Badge>API token</Badge> : null}
              </dd>
              <dd className="text-xs text-gray-500">{formatDateTime(request.createdAt)}</dd>
            </div>
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">Approvals</dt>
              <dd className="mt-1 tabular-nums text-gray-900" data-testid="approvals">
                {request.approvals}/{request.requiredApprovals}
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">{request.state === "PENDING" ? "Expires" : "Decided"}</dt>
              <dd className="mt-1 text-gray-900">{formatDateTime(request.state === "PENDING" ? request.expiresAt : request.decidedAt)}</dd>
            </div>
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">Checks</dt>
              <dd className="mt-1">{evidence.checksPass ? <Badge tone="green">all pass</Badge> : <Badge tone="red">failing</Badge>}</dd>
            </div>
          </dl>
          {request.comment ? <p className="mt-4 whitespace-pre-wrap text-sm text-gray-700">{request.comment}</p> : null}
          {request.target.kind === "stage" && request.archiveExisting ? (
            <p className="mt-2 text-xs text-gray-500">Archives the versions in {request.target.stage} when approved.</p>
          ) : null}
          {request.resolution ? (
            <p className="mt-4 rounded-md bg-gray-50 px-3 py-2 text-sm text-gray-800" data-testid="resolution">
              <span className="font-medium">Resolution:</span> {request.resolution}
            </p>
          ) : null}
        </CardBody>
      </Card>

      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <Card>
          <CardHeader title="Evidence" description="The candidate against the version holding the target; differences are highlighted." />
          <CardBody>
            <EvidenceComparison slug={slug} name={request.modelName} evidence={evidence} />
          </CardBody>
        </Card>
        <div className="space-y-6">
          <Card>
            <CardHeader title="Checks" />
            <CardBody>
              <CheckList checks={evidence.checks} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Decisions" />
            <CardBody className="space-y-4">
              {request.decisions.length === 0 ? (
                <p className="text-sm text-gray-500">No decisions yet.</p>
              ) : (
                <ol aria-label="Decisions" className="space-y-2">
                  {request.decisions.map((decision, index) => (
                    <li key={index} className="text-sm">
                      <div className="flex flex-wrap items-center gap-2">
                        <Badge tone={decision.decision === "APPROVE" ? "green" : "red"}>{decision.decision === "APPROVE" ? "approved" : "rejected"}</Badge>
                        <span className="text-gray-900">{decision.userLabel}</span>
                        <span className="text-xs text-gray-500">{decision.role.toLowerCase()}</span>
                        <span className="ml-auto text-xs text-gray-500">{formatDateTime(decision.createdAt)}</span>
                      </div>
                      {decision.comment ? <p className="mt-1 whitespace-pre-wrap text-gray-700">{decision.comment}</p> : null}
                    </li>
                  ))}
                </ol>
              )}
              {request.state === "PENDING" ? <RequestActions slug={slug} id={request.id} abilities={abilities} /> : null}
            </CardBody>
          </Card>
        </div>
      </div>
    </div>
  );
}
