"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MODEL_STAGES, type ModelStage } from "@/lib/model-registry-states";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";
import { MoveError, refreshOnRequest } from "../promotions/move-error";

/**
 * Moves a version to a stage; into Staging or Production it may archive the versions already there.
 * A stage the approval policy gates answers with the promotion request it created instead.
 */
export function StageControl({ slug, name, version, stage }: { slug: string; name: string; version: number; stage: ModelStage }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [target, setTarget] = useState<ModelStage>(stage);
  const [archiveOthers, setArchiveOthers] = useState(false);
  const canArchive = target === "Staging" || target === "Production";
  const move = useMutation(trpc.registry.versions.transitionStage.mutationOptions({ onSuccess: () => router.refresh(), onError: (error) => refreshOnRequest(error, router) }));
  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        move.mutate({ projectSlug: slug, name, version, stage: target, archiveExisting: canArchive && archiveOthers });
      }}
    >
      <div className="flex flex-wrap items-center gap-3">
        <select aria-label="New stage" className={cn(CONTROL_LOOK, "px-2 py-1 pr-8")} value={target} onChange={(event) => setTarget(event.target.value as ModelStage)}>
          {MODEL_STAGES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <label className={cn("flex items-center gap-2 text-sm", canArchive ? "text-gray-700" : "text-gray-400")}>
          <input type="checkbox" disabled={!canArchive} checked={canArchive && archiveOthers} onChange={(event) => setArchiveOthers(event.target.checked)} />
          Archive other versions in {canArchive ? target : "that stage"}
        </label>
        <Button type="submit" size="sm" pending={move.isPending} disabled={target === stage && !(canArchive && archiveOthers)}>
          Change stage
        </Button>
      </div>
      <MoveError error={move.error} />
    </form>
  );
}
