import type { PolicyRevisionSummary } from "@/server/services/policy/types";
import { Card, CardBody, CardHeader } from "../../ui/card";
import { formatDateTime } from "../../ui/format";

/** Who changed the policy, and when (newest first). */
export function PolicyRevisions({ revisions }: { revisions: PolicyRevisionSummary[] }) {
  return (
    <Card>
      <CardHeader title="Revisions" description="Every change to the policy is kept, and recorded in the audit log." />
      <CardBody>
        {revisions.length === 0 ? (
          <p className="text-sm text-gray-500">Never changed: the project uses the default policy.</p>
        ) : (
          <ol className="divide-y divide-gray-100 text-sm">
            {revisions.map((revision) => (
              <li key={revision.revision} className="flex gap-4 py-2">
                <span className="w-12 font-mono text-gray-500">#{revision.revision}</span>
                <span className="text-gray-900">{revision.author}</span>
                <span className="ml-auto text-gray-500">{formatDateTime(revision.createdAt)}</span>
              </li>
            ))}
          </ol>
        )}
      </CardBody>
    </Card>
  );
}
