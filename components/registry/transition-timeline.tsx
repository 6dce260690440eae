"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ModelStage, RegistryEventKind } from "@/lib/model-registry-states";
import type { RegistryHistoryEntry } from "@/server/services/registry";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";
import { formatDateTime } from "../ui/format";
import { AliasChip, StageBadge } from "./stage-badge";

const TRANSITIONS: ReadonlySet<RegistryEventKind> = new Set(["version.create", "version.stage", "version.delete", "alias.set", "alias.delete"]);

/** What a transition did, in a few words: `v3 → Production`, `@champion → v3`. */
function describe(entry: RegistryHistoryEntry): string {
  const before = (entry.before ?? {}) as { stage?: string; alias?: string; version?: number };
  const after = (entry.after ?? {}) as { stage?: string; alias?: string; version?: number };
  switch (entry.kind) {
    case "version.create":
      return `v${entry.version} registered`;
    case "version.stage":
      return `v${entry.version}: ${before.stage ?? "None"} → ${after.stage ?? "None"}`;
    case "version.delete":
      return `v${entry.version} deleted`;
    case "alias.set":
      return before.version === undefined ? `@${after.alias} → v${after.version}` : `@${after.alias}: v${before.version} → v${after.version}`;
    default:
      return `@${before.alias} removed (was v${before.version})`;
  }
}

/** `datetime-local` takes wall-clock time without a zone; the app shows UTC everywhere, so does this. */
const utcInputValue = (date: Date) => date.toISOString().slice(0, 19);

/**
 * Every stage and alias transition of a model, newest first, and the model's stages and aliases as
 * they stood at a chosen moment (replayed from the history on the server).
 */
export function TransitionTimeline({ slug, name, history }: { slug: string; name: string; history: RegistryHistoryEntry[] }) {
  const trpc = useTRPC();
  const [at, setAt] = useState<Date | null>(null);
  const state = useQuery({
    ...trpc.registry.models.stateAt.queryOptions({ projectSlug: slug, name, at: at ?? new Date(0) }),
    enabled: at !== null,
  });
  const transitions = history.filter((entry) => TRANSITIONS.has(entry.kind));
  const stages = state.data ? Object.entries(state.data.stages).filter(([stage]) => stage !== "None") : [];
  const aliases = state.data ? Object.entries(state.data.aliases) : [];

  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-center gap-2" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="as-of" className="text-sm text-gray-700">
          As of (UTC)
        </label>
        <input
          id="as-of"
          type="datetime-local"
          step={1}
          className={CONTROL_LOOK}
          value={at ? utcInputValue(at) : ""}
          onChange={(event) => setAt(event.target.value ? new Date(`${event.target.value}Z`) : null)}
        />
        {at ? (
          <Button variant="secondary" onClick={() => setAt(null)}>
            Now
          </Button>
        ) : null}
      </form>
      {at ? (
        <section aria-label="State as of" className="rounded-md bg-gray-50 p-3 text-sm">
          {state.error ? <ErrorMessage error={state.error} /> : null}
          {state.isPending ? <p className="text-gray-500">Replaying the history…</p> : null}
          {state.data ? (
            <div className="space-y-2">
              <p className="text-gray-700">As of {formatDateTime(state.data.at)}:</p>
              {stages.length === 0 && aliases.length === 0 ? <p className="text-gray-500">No version held a stage or an alias.</p> : null}
              <ul className="flex flex-wrap gap-2" aria-label="Stages then">
                {stages.flatMap(([stage, holders]) =>
                  (holders ?? []).map((holder) => (
                    <li key={`${stage}-${holder.version}`} title={`since ${formatDateTime(holder.since)} by ${holder.movedBy}`}>
                      <StageBadge stage={stage as ModelStage} version={holder.version} />
                    </li>
                  )),
                )}
              </ul>
              <ul className="flex flex-wrap gap-2" aria-label="Aliases then">
                {aliases.map(([alias, holder]) => (
                  <li key={alias} title={`since ${formatDateTime(holder.since)} by ${holder.movedBy}`}>
                    <AliasChip alias={alias} version={holder.version} />
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
      ) : null}
      {transitions.length === 0 ? (
        <p className="text-sm text-gray-500">No transitions yet.</p>
      ) : (
        <ol aria-label="Transitions" className="divide-y divide-gray-100">
          {transitions.map((entry) => (
            <li key={entry.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm">
              <span className="font-mono text-xs text-gray-900">{describe(entry)}</span>
              {entry.requestId ? (
                <a className="text-xs text-indigo-600 hover:underline" href={`/projects/${slug}/requests/${entry.requestId}`}>
                  request
                </a>
              ) : null}
              <span className="ml-auto text-xs text-gray-500">
                {entry.actorLabel} · {formatDateTime(entry.createdAt)}
              </span>
              <button type="button" className="text-xs text-indigo-600 hover:underline" onClick={() => setAt(new Date(entry.createdAt))}>
                as of then
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
