"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { cn } from "../ui/cn";
import { CONTROL_LOOK } from "../ui/field";
import { formatDateTime } from "../ui/format";
import { EmptyRow, Table, TBody, Td, Th, THead } from "../ui/table";
import { experimentHref } from "./run-links";

/** The project's experiments; create and rename for members, delete and restore for maintainers. */
export function ExperimentsManager({ slug, canWrite, canDelete }: { slug: string; canWrite: boolean; canDelete: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [showDeleted, setShowDeleted] = useState(false);
  const [name, setName] = useState("");
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const list = useQuery(trpc.experiments.list.queryOptions({ projectSlug: slug, includeDeleted: showDeleted }));
  const refresh = { onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.experiments.list.queryKey() }) };
  const create = useMutation(trpc.experiments.create.mutationOptions({ onSuccess: () => (setName(""), refresh.onSuccess()) }));
  const rename = useMutation(trpc.experiments.rename.mutationOptions({ onSuccess: () => (setRenaming(null), refresh.onSuccess()) }));
  const remove = useMutation(trpc.experiments.delete.mutationOptions(refresh));
  const restore = useMutation(trpc.experiments.restore.mutationOptions(refresh));
  const error = create.error ?? rename.error ?? remove.error ?? restore.error ?? list.error;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        {canWrite ? (
          <form
            className="flex items-center gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              create.mutate({ projectSlug: slug, name });
            }}
          >
            <input aria-label="New experiment name" placeholder="New experiment name" value={name} onChange={(event) => setName(event.target.value)} className={cn(CONTROL_LOOK, "w-64 px-3 py-2")} />
            <Button type="submit" pending={create.isPending} disabled={!name.trim()}>
              Create experiment
            </Button>
          </form>
        ) : (
          <span />
        )}
        <label className="flex items-center gap-2 text-sm text-gray-700">
          <input type="checkbox" checked={showDeleted} onChange={(event) => setShowDeleted(event.target.checked)} />
          Show deleted
        </label>
      </div>
      <ErrorMessage error={error} />
      <div className="rounded-lg border border-gray-200 bg-white">
        <Table label="Experiments">
          <THead>
            <Th>Experiment</Th>
            <Th>ID</Th>
            <Th>Runs</Th>
            <Th>Running</Th>
            <Th>Last run</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </THead>
          <TBody>
            {list.data?.length === 0 ? <EmptyRow colSpan={6}>No experiments yet.</EmptyRow> : null}
            {list.data?.map((experiment) => {
              const deleted = experiment.lifecycleStage === "deleted";
              return (
                <tr key={experiment.experimentId} className={deleted ? "bg-gray-50 text-gray-400" : undefined}>
                  <Td>
                    {renaming?.id === experiment.experimentId ? (
                      <form
                        className="flex items-center gap-2"
                        onSubmit={(event) => {
                          event.preventDefault();
                          rename.mutate({ projectSlug: slug, experimentId: experiment.experimentId, name: renaming.name });
                        }}
                      >
                        <input aria-label="Experiment name" value={renaming.name} onChange={(event) => setRenaming({ ...renaming, name: event.target.value })} className={cn(CONTROL_LOOK, "w-56 px-2 py-1")} />
                        <Button type="submit" size="sm" pending={rename.isPending}>
                          Save
                        </Button>
                        <Button size="sm" variant="ghost" onClick={() => setRenaming(null)}>
                          Cancel
                        </Button>
                      </form>
                    ) : deleted ? (
                      <span>{experiment.name} (deleted)</span>
                    ) : (
                      <Link className="font-medium text-indigo-600 hover:underline" href={experimentHref(slug, experiment.experimentId)}>
                        {experiment.name}
                      </Link>
                    )}
                  </Td>
                  <Td className="font-mono text-xs">{experiment.experimentId}</Td>
                  <Td className="tabular-nums">{experiment.runCount}</Td>
                  <Td className="tabular-nums">{experiment.activeRuns}</Td>
                  <Td>{experiment.lastRunStart ? formatDateTime(new Date(experiment.lastRunStart)) : "—"}</Td>
                  <Td className="space-x-1 whitespace-nowrap text-right">
                    {canWrite && !deleted && renaming?.id !== experiment.experimentId ? (
                      <Button size="sm" variant="ghost" onClick={() => setRenaming({ id: experiment.experimentId, name: experiment.name })}>
                        Rename
                      </Button>
                    ) : null}
                    {canDelete && !deleted && experiment.experimentId !== "0" ? (
                      <Button size="sm" variant="ghost" onClick={() => remove.mutate({ projectSlug: slug, experimentId: experiment.experimentId })}>
                        Delete
                      </Button>
                    ) : null}
                    {canDelete && deleted ? (
                      <Button size="sm" variant="secondary" onClick={() => restore.mutate({ projectSlug: slug, experimentId: experiment.experimentId })}>
                        Restore
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              );
            })}
          </TBody>
        </Table>
      </div>
    </div>
  );
}
