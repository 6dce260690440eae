"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import { MODEL_STAGES, type ModelStage } from "@/lib/model-registry-states";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog } from "../ui/dialog";
import { ErrorMessage, Notice } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";
import { requestHref } from "./links";
import { CheckList } from "./request-evidence";

const ALIAS = "alias";
const STAGES = MODEL_STAGES.filter((stage) => stage !== "None");

/**
 * Asks for a version to be moved to a stage or an alias pointed at it. As the target changes, the
 * preview says whether the policy gates it, who approves, and which checks would fail, with numbers.
 */
export function RequestPromotionDialog({ slug, name, version }: { slug: string; name: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<ModelStage | typeof ALIAS>("Production");
  const [alias, setAlias] = useState("");
  const [archiveExisting, setArchiveExisting] = useState(false);
  const [comment, setComment] = useState("");
  const target = kind === ALIAS ? `alias:${alias.trim()}` : `stage:${kind}`;
  const previewTarget = useDeferredValue(target);
  const ready = kind !== ALIAS || alias.trim() !== "";
  const preview = useQuery({
    ...trpc.promotions.preview.queryOptions({ projectSlug: slug, name, version, target: previewTarget }),
    enabled: open && ready,
    placeholderData: keepPreviousData,
  });
  const request = useMutation(trpc.promotions.request.mutationOptions({ onSuccess: () => router.refresh() }));
  const close = () => (setOpen(false), request.reset());
  const gate = preview.data;
  const failing = gate?.evidence.checks.filter((check) => !check.passed).length ?? 0;

  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
        Request promotion
      </Button>
      <Dialog open={open} title={`Request promotion of ${name} v${version}`} onClose={close} wide>
        {request.data ? (
          <div className="space-y-3">
            <Notice tone="success">
              <span role="status">
                Promotion request sent.{" "}
                <Link className="font-medium underline" href={requestHref(slug, request.data.id)}>
                  Open the request
                </Link>
              </span>
            </Notice>
            <div className="flex justify-end">
              <Button variant="secondary" onClick={close}>
                Close
              </Button>
            </div>
          </div>
        ) : (
          <form
            className="space-y-4"
            onSubmit={(event) => {
              event.preventDefault();
              request.mutate({ projectSlug: slug, name, version, target, archiveExisting: kind !== ALIAS && archiveExisting, comment });
            }}
          >
            <div className="flex flex-wrap items-center gap-3">
              <label className="flex items-center gap-2 text-sm text-gray-700">
                Target
                <select
                  className={cn(CONTROL_LOOK, "px-2 py-1 pr-8")}
                  value={kind}
                  onChange={(event) => setKind(event.target.value as ModelStage | typeof ALIAS)}
                >
                  {STAGES.map((stage) => (
                    <option key={stage} value={stage}>
                      Stage {stage}
                    </option>
                  ))}
                  <option value={ALIAS}>An alias…</option>
                </select>
              </label>
              {kind === ALIAS ? (
                <input
                  aria-label="Alias name"
                  placeholder="e.g. champion"
                  className={cn(CONTROL_LOOK, "w-40 px-2 py-1 font-mono")}
                  value={alias}
                  onChange={(event) => setAlias(event.target.value)}
                />
              ) : (
                <label className="flex items-center gap-2 text-sm text-gray-700">
                  <input type="checkbox" checked={archiveExisting} onChange={(event) => setArchiveExisting(event.target.checked)} />
                  Archive the versions now in {kind}
                </label>
              )}
            </div>

            <section aria-label="Preview" aria-busy={preview.isFetching} className="space-y-2 rounded-md bg-gray-50 p-3 text-sm">
              {!ready ? <p className="text-gray-500">Type the alias to see what the policy asks for.</p> : null}
              {ready && preview.error ? <ErrorMessage error={preview.error} /> : null}
              {ready && preview.isPending ? <p className="text-gray-500">Checking the policy…</p> : null}
              {ready && gate ? (
                gate.gated ? (
                  <>
                    <p className="text-gray-800" data-testid="gate-summary">
                      Needs {gate.approvals} {gate.approvals === 1 ? "approval" : "approvals"} from {gate.approvers.map((role) => `${role}s`).join(" or ")}
                      {gate.allowSelfApproval ? "" : " (not the requester)"}.{" "}
                      {failing ? <span className="font-medium text-red-700">{failing} {failing === 1 ? "check fails" : "checks fail"} now: approval is blocked until they pass.</span> : <span className="text-green-700">Every check passes now.</span>}
                    </p>
                    <CheckList checks={gate.evidence.checks} />
                  </>
                ) : (
                  <p className="text-gray-800" data-testid="gate-summary">
                    The approval policy does not gate this target: move the version directly with the stage control or the alias editor.
                  </p>
                )
              ) : null}
            </section>

            <label className="block text-sm text-gray-700">
              Comment for the approvers
              <textarea
                rows={3}
                maxLength={5_000}
                className={cn(CONTROL_LOOK, "mt-1 block w-full px-3 py-2")}
                value={comment}
                onChange={(event) => setComment(event.target.value)}
              />
            </label>
            <ErrorMessage error={request.error} />
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" pending={request.isPending} disabled={!ready || !gate?.gated || preview.isPlaceholderData}>
                Send request
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
