"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorMessage, Notice } from "../ui/error-message";
import { TextField } from "../ui/field";

export function ProjectGeneral({ slug, name, canRename }: { slug: string; name: string; canRename: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [draft, setDraft] = useState(name);
  const rename = useMutation(trpc.projects.rename.mutationOptions({ onSuccess: () => router.refresh() }));

  function submit(event: FormEvent) {
    event.preventDefault();
    rename.mutate({ projectSlug: slug, name: draft });
  }

  return (
    <Card>
      <CardHeader title="General" description={canRename ? "The project's display name. The slug never changes." : undefined} />
      <CardBody>
        {canRename ? (
          <form onSubmit={submit} className="space-y-4" noValidate>
            <TextField label="Project name" value={draft} onChange={(e) => setDraft(e.target.value)} required />
            <TextField label="Slug" value={slug} readOnly disabled className="font-mono" />
            <ErrorMessage error={rename.error} />
            {rename.isSuccess ? <Notice tone="success">Project renamed.</Notice> : null}
            <Button type="submit" pending={rename.isPending} disabled={draft.trim() === name}>
              Save
            </Button>
          </form>
        ) : (
          <dl className="grid gap-3 text-sm sm:grid-cols-[8rem_1fr]">
            <dt className="text-gray-500">Name</dt>
            <dd className="text-gray-900">{name}</dd>
            <dt className="text-gray-500">Slug</dt>
            <dd className="font-mono text-xs text-gray-900">{slug}</dd>
          </dl>
        )}
      </CardBody>
    </Card>
  );
}
