"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RunsTableState } from "@/lib/schemas/runs-table";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";

/** The user's own saved views of this experiment's runs table: apply one, or save the current state. */
export function SavedViews({
  slug,
  experimentId,
  current,
  onApply,
}: {
  slug: string;
  experimentId: string;
  current: RunsTableState;
  onApply: (state: RunsTableState) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const views = useQuery(trpc.savedViews.list.queryOptions({ projectSlug: slug, experimentId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.savedViews.list.queryKey() });
  const save = useMutation(trpc.savedViews.save.mutationOptions({ onSuccess: () => (setName(""), refresh()) }));
  const remove = useMutation(trpc.savedViews.delete.mutationOptions({ onSuccess: refresh }));
  const [selected, setSelected] = useState("");
  return (
    <div className="flex flex-wrap items-center gap-2">
      <select
        aria-label="Saved views"
        className={cn(CONTROL_LOOK, "py-1 pl-2 pr-8")}
        value={selected}
        onChange={(event) => {
          setSelected(event.target.value);
          const view = views.data?.find((entry) => entry.name === event.target.value);
          if (view) onApply(view.state);
        }}
      >
        <option value="">Saved views…</option>
        {views.data?.map((view) => (
          <option key={view.name} value={view.name}>
            {view.name}
          </option>
        ))}
      </select>
      {selected ? (
        <Button size="sm" variant="ghost" onClick={() => (remove.mutate({ projectSlug: slug, experimentId, name: selected }), setSelected(""))}>
          Delete view
        </Button>
      ) : null}
      <form
        className="flex items-center gap-1"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ projectSlug: slug, experimentId, name, state: current });
        }}
      >
        <input aria-label="View name" placeholder="Save view as…" className={cn(CONTROL_LOOK, "w-36 px-2 py-1")} value={name} onChange={(event) => setName(event.target.value)} />
        <Button type="submit" size="sm" variant="secondary" disabled={!name.trim()} pending={save.isPending}>
          Save
        </Button>
      </form>
      <ErrorMessage error={save.error ?? remove.error} />
    </div>
  );
}
