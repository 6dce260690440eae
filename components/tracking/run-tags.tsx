"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";

/** Tags as key = value chips; MLflow's own `mlflow.*` tags are shown elsewhere on the page. */
export function RunTags({ slug, runId, tags, canEdit }: { slug: string; runId: string; tags: { key: string; value: string }[]; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const refresh = { onSuccess: () => router.refresh() };
  const add = useMutation(trpc.runs.setTag.mutationOptions({ onSuccess: () => (setKey(""), setValue(""), router.refresh()) }));
  const remove = useMutation(trpc.runs.deleteTag.mutationOptions(refresh));
  return (
    <div className="space-y-3">
      {tags.length === 0 ? <p className="text-sm text-gray-500">No tags.</p> : null}
      <ul className="flex flex-wrap gap-2" aria-label="Tags">
        {tags.map((tag) => (
          <li key={tag.key} className="inline-flex items-center gap-1 rounded-md bg-gray-100 px-2 py-1 font-mono text-xs text-gray-800">
            <span className="text-gray-500">{tag.key}</span>=<span>{tag.value}</span>
            {canEdit ? (
              <button
                type="button"
                aria-label={`Remove tag ${tag.key}`}
                className="ml-1 text-gray-400 hover:text-red-600"
                onClick={() => remove.mutate({ projectSlug: slug, runId, key: tag.key })}
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
            add.mutate({ projectSlug: slug, runId, key: key.trim(), value });
          }}
        >
          <input aria-label="Tag key" placeholder="key" className={cn(CONTROL_LOOK, "w-36 px-2 py-1")} value={key} onChange={(event) => setKey(event.target.value)} />
          <input aria-label="Tag value" placeholder="value" className={cn(CONTROL_LOOK, "w-48 px-2 py-1")} value={value} onChange={(event) => setValue(event.target.value)} />
          <Button type="submit" size="sm" variant="secondary" pending={add.isPending} disabled={!key.trim()}>
            Add tag
          </Button>
        </form>
      ) : null}
      <ErrorMessage error={add.error ?? remove.error} />
    </div>
  );
}
