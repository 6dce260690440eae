"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { Markdown } from "./markdown";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";

/** The run's markdown note; those who may edit the run get an editor. */
export function RunNote({ slug, runId, note, canEdit }: { slug: string; runId: string; note: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note);
  const save = useMutation(
    trpc.runs.setNote.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        router.refresh();
      },
    }),
  );
  if (editing) {
    return (
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ projectSlug: slug, runId, note: draft });
        }}
        className="space-y-2"
      >
        <textarea
          aria-label="Note (markdown)"
          className={cn(CONTROL_LOOK, "block h-40 w-full px-3 py-2 font-mono")}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <ErrorMessage error={save.error} />
        <div className="flex gap-2">
          <Button type="submit" size="sm" pending={save.isPending}>
            Save note
          </Button>
          <Button variant="secondary" size="sm" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </div>
      </form>
    );
  }
  return (
    <div className="space-y-2">
      {note ? <Markdown source={note} /> : <p className="text-sm text-gray-500">No note yet.</p>}
      {canEdit ? (
        <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
          Edit note
        </Button>
      ) : null}
    </div>
  );
}
