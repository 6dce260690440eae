"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ErrorMessage } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";
import { targetRef, type RegistryTarget } from "./target";

/** A model's or version's tags as key = value chips, with add and remove for those who may edit. */
export function TagEditor({ target, tags, canEdit }: { target: RegistryTarget; tags: Record<string, string>; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const added = { onSuccess: () => (setKey(""), setValue(""), router.refresh()) };
  const removed = { onSuccess: () => router.refresh() };
  const setModelTag = useMutation(trpc.registry.models.setTag.mutationOptions(added));
  const deleteModelTag = useMutation(trpc.registry.models.deleteTag.mutationOptions(removed));
  const setVersionTag = useMutation(trpc.registry.versions.setTag.mutationOptions(added));
  const deleteVersionTag = useMutation(trpc.registry.versions.deleteTag.mutationOptions(removed));
  const isModel = target.version === undefined;
  const add = isModel ? setModelTag : setVersionTag;
  const remove = isModel ? deleteModelTag : deleteVersionTag;
  const entries = Object.entries(tags).filter(([tagKey]) => !tagKey.startsWith("mlflow."));

  const onAdd = () => {
    if (target.version === undefined) setModelTag.mutate({ ...targetRef(target), key: key.trim(), value });
    else setVersionTag.mutate({ ...targetRef(target), version: target.version, key: key.trim(), value });
  };
  const onRemove = (tagKey: string) => {
    if (target.version === undefined) deleteModelTag.mutate({ ...targetRef(target), key: tagKey });
    else deleteVersionTag.mutate({ ...targetRef(target), version: target.version, key: tagKey });
  };

  return (
    <div className="space-y-3">
      {entries.length === 0 ? <p className="text-sm text-gray-500">No tags.</p> : null}
      <ul className="flex flex-wrap gap-2" aria-label="Tags">
        {entries.map(([tagKey, tagValue]) => (
          <li key={tagKey} className="inline-flex items-center gap-1 rounded-md bg-gray-100 px-2 py-1 font-mono text-xs text-gray-800">
            <span className="text-gray-500">{tagKey}</span>=<span className="break-all">{tagValue}</span>
            {canEdit ? (
              <button type="button" aria-label={`Remove tag ${tagKey}`} className="ml-1 text-gray-400 hover:text-red-600" onClick={() => onRemove(tagKey)}>
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
            onAdd();
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
