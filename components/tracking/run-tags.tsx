"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/lib/trpc-client";
import { TagChips } from "../ui/tag-chips";

/** A run's own tags; MLflow's `mlflow.*` tags are shown elsewhere on the page. */
export function RunTags({ slug, runId, tags, canEdit }: { slug: string; runId: string; tags: { key: string; value: string }[]; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const add = useMutation(trpc.runs.setTag.mutationOptions(refresh));
  const remove = useMutation(trpc.runs.deleteTag.mutationOptions(refresh));
  return (
    <TagChips
      tags={tags.map((tag) => [tag.key, tag.value] as const)}
      canEdit={canEdit}
      onAdd={(key, value) => add.mutateAsync({ projectSlug: slug, runId, key, value })}
      onRemove={(key) => remove.mutate({ projectSlug: slug, runId, key })}
      adding={add.isPending}
      error={add.error ?? remove.error}
    />
  );
}
