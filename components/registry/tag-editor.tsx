"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/lib/trpc-client";
import { TagChips } from "../ui/tag-chips";
import { targetRef, type RegistryTarget } from "./target";

/** A model's or version's tags, with add and remove for those who may edit. */
export function TagEditor({ target, tags, canEdit }: { target: RegistryTarget; tags: Record<string, string>; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const setModelTag = useMutation(trpc.registry.models.setTag.mutationOptions(refresh));
  const deleteModelTag = useMutation(trpc.registry.models.deleteTag.mutationOptions(refresh));
  const setVersionTag = useMutation(trpc.registry.versions.setTag.mutationOptions(refresh));
  const deleteVersionTag = useMutation(trpc.registry.versions.deleteTag.mutationOptions(refresh));
  const isModel = target.version === undefined;
  const add = isModel ? setModelTag : setVersionTag;
  const remove = isModel ? deleteModelTag : deleteVersionTag;

  const onAdd = (key: string, value: string) =>
    target.version === undefined
      ? setModelTag.mutateAsync({ ...targetRef(target), key, value })
      : setVersionTag.mutateAsync({ ...targetRef(target), version: target.version, key, value });
  const onRemove = (key: string) => {
    if (target.version === undefined) deleteModelTag.mutate({ ...targetRef(target), key });
    else deleteVersionTag.mutate({ ...targetRef(target), version: target.version, key });
  };

  return (
    <TagChips
      tags={Object.entries(tags).filter(([key]) => !key.startsWith("mlflow."))}
      canEdit={canEdit}
      onAdd={onAdd}
      onRemove={onRemove}
      adding={add.isPending}
      error={add.error ?? remove.error}
    />
  );
}
