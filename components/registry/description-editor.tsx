"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Markdown } from "../tracking/markdown";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ErrorMessage } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";
import { targetRef, type RegistryTarget } from "./target";

/** A model's or version's markdown description; members click it to edit it in place. */
export function DescriptionEditor({ target, description, canEdit }: { target: RegistryTarget; description: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(description);
  const done = {
    onSuccess: () => {
      setEditing(false);
      router.refresh();
    },
  };
  const model = useMutation(trpc.registry.models.updateDescription.mutationOptions(done));
  const version = useMutation(trpc.registry.versions.updateDescription.mutationOptions(done));
  const save = target.version === undefined ? model : version;

  if (editing) {
    return (
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (target.version === undefined) model.mutate({ ...targetRef(target), description: draft });
          else version.mutate({ ...targetRef(target), version: target.version, description: draft });
        }}
      >
        <textarea
          aria-label="Description (markdown)"
          autoFocus
          className={cn(CONTROL_LOOK, "block h-32 w-full px-3 py-2 font-mono")}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <ErrorMessage error={save.error} />
        <div className="flex gap-2">
          <Button type="submit" size="sm" pending={save.isPending}>
            Save
          </Button>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              setDraft(description);
              setEditing(false);
            }}
          >
            Cancel
          </Button>
        </div>
      </form>
    );
  }
  const shown = description ? <Markdown source={description} /> : <p className="text-sm text-gray-500">No description.</p>;
  if (!canEdit) return <div data-testid="description">{shown}</div>;
  return (
    <button
      type="button"
      data-testid="description"
      title="Click to edit the description"
      aria-label="Edit description"
      className="block w-full rounded-md p-1 text-left hover:bg-gray-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
      onClick={() => {
        setDraft(description);
        setEditing(true);
      }}
    >
      {shown}
      {description ? null : <span className="text-xs text-indigo-600">Add a description</span>}
    </button>
  );
}
