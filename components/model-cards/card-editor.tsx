"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { cardSectionTitle, orderedSectionIds, STANDARD_CARD_SECTIONS, type CardSections, type ProjectCardSection } from "@/lib/model-cards";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ErrorMessage } from "../ui/error-message";
import { CONTROL_LOOK, TextField } from "../ui/field";

interface EditorProps {
  slug: string;
  modelName: string;
  version?: number;
  baseRevision: number;
  ownSections: CardSections;
  /** What a version shows from the model's card where it has no text of its own. */
  inheritedSections: CardSections;
  /** The project's sections: every card offers those not removed, after the standard ones. */
  projectSections: readonly ProjectCardSection[];
  onDone: () => void;
}

/**
 * Edits the target's own sections. For a version, "Fill from the run" inserts text made from the
 * source run's datasets and metrics into the draft, where it stays editable; nothing is saved until
 * the person saves, and a save on a stale revision comes back as a conflict.
 */
export function CardEditor({ slug, modelName, version, baseRevision, ownSections, inheritedSections, projectSections, onDone }: EditorProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<CardSections>(ownSections);
  const [customTitle, setCustomTitle] = useState("");
  const [summary, setSummary] = useState("");
  const target = { projectSlug: slug, modelName, version };
  const save = useMutation(
    trpc.modelCards.save.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.modelCards.pathKey() });
        onDone();
      },
    }),
  );
  const facts = useMutation({
    mutationFn: () => queryClient.fetchQuery(trpc.modelCards.facts.queryOptions({ projectSlug: slug, modelName, version: version! })),
  });

  const ids = [
    ...new Set([
      ...STANDARD_CARD_SECTIONS.map((section) => section.id as string),
      ...orderedSectionIds(draft, projectSections, { everyProjectSection: true }),
    ]),
  ];
  const titleOf = (id: string) => cardSectionTitle(id, projectSections) ?? id;
  const setSection = (id: string, body: string) => setDraft((current) => ({ ...current, [id]: body }));
  const append = (id: string, text: string) => setDraft((current) => ({ ...current, [id]: current[id]?.trim() ? `${current[id]}\n\n${text}` : text }));

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ ...target, baseRevision, sections: draft, changeSummary: summary || undefined });
  }

  async function fill() {
    const result = await facts.mutateAsync();
    append("training_data", result.trainingData);
    append("evaluation", result.evaluation);
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Edit model card">
      {version !== undefined ? (
        <div className="flex items-center gap-3">
          <Button type="button" variant="secondary" size="sm" pending={facts.isPending} onClick={() => void fill()}>
            Fill training data and evaluation from the run
          </Button>
          <ErrorMessage error={facts.error} />
        </div>
      ) : null}
      {ids.map((id) => (
        <label key={id} className="block space-y-1">
          <span className="text-sm font-medium text-gray-900">{titleOf(id)}</span>
          <textarea
            aria-label={titleOf(id)}
            className={cn(CONTROL_LOOK, "block h-28 w-full px-3 py-2 font-mono")}
            value={draft[id] ?? ""}
            placeholder={inheritedSections[id] ? `From the model's card: ${inheritedSections[id]!.slice(0, 120)}` : "Markdown"}
            onChange={(event) => setSection(id, event.target.value)}
          />
        </label>
      ))}
      <div className="flex items-end gap-2">
        <TextField label="New section title" value={customTitle} onChange={(event) => setCustomTitle(event.target.value)} />
        <Button
          type="button"
          variant="secondary"
          size="sm"
          disabled={!customTitle.trim()}
          onClick={() => {
            setSection(`custom:${customTitle.trim()}`, draft[`custom:${customTitle.trim()}`] ?? "");
            setCustomTitle("");
          }}
        >
          Add section
        </Button>
      </div>
      <TextField label="What changed (optional)" value={summary} onChange={(event) => setSummary(event.target.value)} />
      <ErrorMessage error={save.error} />
      <div className="flex gap-2">
        <Button type="submit" size="sm" pending={save.isPending}>
          Save card
        </Button>
        <Button type="button" variant="secondary" size="sm" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
