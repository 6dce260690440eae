"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { ProjectCardSection } from "@/lib/model-cards";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorMessage } from "../ui/error-message";
import { TextField } from "../ui/field";

/**
 * Settings → Model cards: the sections the project adds to every model card. Renaming or removing
 * one never takes text away from a card (see docs/permissions.md, "Model card sections").
 */
export function CardSectionsSettings({ slug, canConfigure }: { slug: string; canConfigure: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sections = useQuery(trpc.modelCards.projectSections.list.queryOptions({ projectSlug: slug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.modelCards.pathKey() });
  const [title, setTitle] = useState("");
  const add = useMutation(
    trpc.modelCards.projectSections.add.mutationOptions({
      onSuccess: async () => {
        setTitle("");
        await refresh();
      },
    }),
  );
  const active = (sections.data ?? []).filter((section) => !section.removed);
  const removed = (sections.data ?? []).filter((section) => section.removed);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ projectSlug: slug, title });
  }

  return (
    <Card>
      <CardHeader
        title="Model cards"
        description="Sections every model card of this project shows after the standard ones. Version cards inherit them from their model's card."
      />
      <CardBody className="space-y-4">
        <ErrorMessage error={sections.error} />
        {sections.data && !active.length ? <p className="text-sm text-gray-500">No project sections yet.</p> : null}
        <ul className="space-y-2" aria-label="Project card sections">
          {active.map((section) =>
            canConfigure ? (
              <SectionRow key={`${section.id}:${section.title}`} slug={slug} section={section} onChanged={refresh} />
            ) : (
              <li key={section.id} className="text-sm text-gray-900">
                {section.title}
              </li>
            ),
          )}
        </ul>
        {removed.length ? (
          <p className="text-sm text-gray-500">
            Removed: {removed.map((section) => section.title).join(", ")}. Cards keep what was written in them; adding a title
            again brings the section back.
          </p>
        ) : null}
        {canConfigure ? (
          <form onSubmit={submit} className="flex items-end gap-2" aria-label="Add a card section">
            <TextField label="New section title" value={title} onChange={(event) => setTitle(event.target.value)} maxLength={100} />
            <Button type="submit" size="sm" pending={add.isPending} disabled={!title.trim()}>
              Add section
            </Button>
          </form>
        ) : null}
        <ErrorMessage error={add.error} />
      </CardBody>
    </Card>
  );
}

function SectionRow({ slug, section, onChanged }: { slug: string; section: ProjectCardSection; onChanged: () => Promise<void> }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState(section.title);
  const rename = useMutation(trpc.modelCards.projectSections.rename.mutationOptions({ onSuccess: onChanged }));
  const remove = useMutation(trpc.modelCards.projectSections.remove.mutationOptions({ onSuccess: onChanged }));

  function submit(event: FormEvent) {
    event.preventDefault();
    rename.mutate({ projectSlug: slug, sectionId: section.id, title: draft });
  }

  return (
    <li className="space-y-1">
      <form onSubmit={submit} className="flex items-end gap-2" aria-label={`Section ${section.title}`}>
        <TextField label={`Title of "${section.title}"`} value={draft} onChange={(event) => setDraft(event.target.value)} maxLength={100} />
        <Button type="submit" variant="secondary" size="sm" pending={rename.isPending} disabled={!draft.trim() || draft.trim() === section.title}>
          Rename
        </Button>
        <Button
          variant="secondary"
          size="sm"
          pending={remove.isPending}
          onClick={() => remove.mutate({ projectSlug: slug, sectionId: section.id })}
        >
          Remove
        </Button>
      </form>
      <ErrorMessage error={rename.error ?? remove.error} />
    </li>
  );
}
