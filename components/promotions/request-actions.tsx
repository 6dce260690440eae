"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import type { RequestAbilities } from "@/server/services/promotions";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ErrorMessage, Notice } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";

const isConflict = (error: unknown) => (error as { data?: { code?: string } } | null)?.data?.code === "CONFLICT";

/**
 * Approve, reject and cancel, exactly as the abilities allow. An approval refused because the holder
 * or a check changed reloads the page, so the fresh evidence stands next to the reason.
 */
export function RequestActions({ slug, id, abilities }: { slug: string; id: string; abilities: RequestAbilities }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const done = () => (setComment(""), setRejecting(false), router.refresh());
  const decide = useMutation(
    trpc.promotions.decide.mutationOptions({
      onSuccess: done,
      onError: (error) => {
        if (isConflict(error)) router.refresh();
      },
    }),
  );
  const cancel = useMutation(trpc.promotions.cancel.mutationOptions({ onSuccess: done }));
  const error = decide.error ?? cancel.error;
  const pending = decide.isPending || cancel.isPending;
  const canDecide = abilities.approve || abilities.reject;

  return (
    <div className="space-y-3">
      {abilities.approveBlockedBy ? (
        <Notice tone="info">
          <span data-testid="approve-blocked">{abilities.approveBlockedBy}</span>
        </Notice>
      ) : null}
      {canDecide || abilities.cancel ? (
        <form className="space-y-2" onSubmit={(event) => event.preventDefault()}>
          <label className="block text-sm font-medium text-gray-700" htmlFor="decision-comment">
            Comment{rejecting ? " (required to reject)" : ""}
          </label>
          <textarea
            id="decision-comment"
            rows={3}
            maxLength={5_000}
            className={cn(CONTROL_LOOK, "block w-full px-3 py-2")}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
          <div className="flex flex-wrap gap-2">
            {abilities.approve ? (
              <Button pending={pending && decide.variables?.decision === "APPROVE"} disabled={pending} onClick={() => decide.mutate({ projectSlug: slug, id, decision: "APPROVE", comment })}>
                Approve
              </Button>
            ) : null}
            {abilities.reject ? (
              <Button
                variant="danger"
                pending={pending && decide.variables?.decision === "REJECT"}
                disabled={pending || (rejecting && !comment.trim())}
                onClick={() => (comment.trim() ? decide.mutate({ projectSlug: slug, id, decision: "REJECT", comment }) : setRejecting(true))}
              >
                Reject
              </Button>
            ) : null}
            {abilities.cancel ? (
              <Button variant="secondary" pending={cancel.isPending} disabled={pending} onClick={() => cancel.mutate({ projectSlug: slug, id, comment })}>
                Cancel request
              </Button>
            ) : null}
          </div>
          {rejecting && !comment.trim() ? <p className="text-xs text-gray-500">Say why the request is rejected, then press Reject again.</p> : null}
        </form>
      ) : null}
      <ErrorMessage error={error} />
    </div>
  );
}
