import type { PolicyDocument } from "@/server/services/policy/types";
import { Badge } from "../../ui/badge";
import { buttonClasses } from "../../ui/button";
import { Card, CardBody, CardHeader } from "../../ui/card";
import { NumberedYaml } from "./problems";

/** The policy for those who may not change it: each target's rules, and the YAML. */
export function PolicyView({ slug, document, yaml }: { slug: string; document: PolicyDocument; yaml: string }) {
  return (
    <Card>
      <CardHeader
        title="Approval policy"
        description="Only owners change the policy. Listed targets need approval unless marked otherwise; everything else does not."
        actions={
          <a className={buttonClasses("secondary", "sm")} href={`/api/v1/projects/${slug}/policy`} download={`${slug}-policy.yaml`}>
            Download YAML
          </a>
        }
      />
      <CardBody className="space-y-4">
        <p className="text-sm text-gray-700">Pending requests expire after {document.request_expiry_days ?? 14} days.</p>
        <ul className="space-y-2 text-sm">
          {document.targets.map((target, index) => (
            <li key={index} className="rounded-md border border-gray-200 px-3 py-2">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium text-gray-900">{target.stage ? `Stage ${target.stage}` : `Alias ${target.alias}`}</span>
                {target.gated === false ? <Badge>not gated</Badge> : <Badge tone="amber">gated</Badge>}
              </div>
              {target.gated === false ? null : (
                <p className="mt-1 text-gray-600">
                  {target.approvals ?? 1} approval{(target.approvals ?? 1) === 1 ? "" : "s"} by {(target.approvers ?? ["owner"]).map((role) => `${role}s`).join(" or ")};{" "}
                  {target.allow_self_approval ? "the requester may approve" : "never the requester"}
                  {target.checks?.length ? `; checks: ${target.checks.join(", ")}` : ""}
                  {target.card_sections?.length ? `; card sections: ${target.card_sections.join(", ")}` : ""}
                  {target.dataset_with_digest ? "; a dataset with a digest" : ""}
                  {target.freeze?.length ? `; frozen ${target.freeze.map((window) => `${window.from} to ${window.to}${window.reason ? ` (${window.reason})` : ""}`).join(", ")}` : ""}
                </p>
              )}
            </li>
          ))}
        </ul>
        <NumberedYaml text={yaml} />
      </CardBody>
    </Card>
  );
}
