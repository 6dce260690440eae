"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ErrorMessage } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";
import { MoveError, refreshOnRequest } from "../promotions/move-error";
import { AliasChip } from "./stage-badge";

/** A version's aliases; those who may edit point a new or existing alias here, or remove one. */
export function AliasEditor({
  slug,
  name,
  version,
  aliases,
  canEdit,
}: {
  slug: string;
  name: string;
  version: number;
  aliases: string[];
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [alias, setAlias] = useState("");
  const set = useMutation(trpc.registry.aliases.set.mutationOptions({ onSuccess: () => (setAlias(""), router.refresh()), onError: (error) => refreshOnRequest(error, router) }));
  const remove = useMutation(trpc.registry.aliases.delete.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="space-y-3">
      {aliases.length === 0 ? <p className="text-sm text-gray-500">No aliases point at this version.</p> : null}
      <ul className="flex flex-wrap gap-2" aria-label="Aliases">
        {aliases.map((entry) => (
          <li key={entry} className="inline-flex items-center gap-1">
            <AliasChip alias={entry} />
            {canEdit ? (
              <button
                type="button"
                aria-label={`Remove alias ${entry}`}
                className="text-gray-400 hover:text-red-600"
                onClick={() => remove.mutate({ projectSlug: slug, name, alias: entry })}
              >
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            set.mutate({ projectSlug: slug, name, version, alias: alias.trim() });
          }}
        >
          <input
            aria-label="Alias"
            placeholder="e.g. champion"
            className={cn(CONTROL_LOOK, "w-48 px-2 py-1 font-mono")}
            value={alias}
            onChange={(event) => setAlias(event.target.value)}
          />
          <Button type="submit" size="sm" variant="secondary" pending={set.isPending} disabled={!alias.trim()}>
            Set alias
          </Button>
          <span className="text-xs text-gray-500">An alias already on another version moves here.</span>
        </form>
      ) : null}
      <MoveError error={set.error} />
      <ErrorMessage error={remove.error} />
    </div>
  );
}
