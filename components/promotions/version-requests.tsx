import Link from "next/link";
import type { PromotionRequest } from "@/server/services/promotions";
import { formatDateTime } from "../ui/format";
import { requestHref } from "./links";
import { TargetLabel } from "./target-label";

/** The version's pending promotion requests, each linking to its page. */
export function VersionRequests({ slug, requests }: { slug: string; requests: PromotionRequest[] }) {
  if (requests.length === 0) return <p className="text-sm text-gray-500">No pending promotion requests for this version.</p>;
  return (
    <ul aria-label="Pending promotion requests" className="divide-y divide-gray-100">
      {requests.map((request) => (
        <li key={request.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
          <TargetLabel target={request.target} />
          <span className="tabular-nums text-gray-700">
            {request.approvals}/{request.requiredApprovals} approvals
          </span>
          <span className="text-xs text-gray-500">
            by {request.requester.label} · {formatDateTime(request.createdAt)}
          </span>
          <Link className="ml-auto font-medium text-indigo-600 hover:underline" href={requestHref(slug, request.id)}>
            Review
          </Link>
        </li>
      ))}
    </ul>
  );
}
