"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { RouterOutputs } from "@/lib/router-outputs";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ErrorMessage, Notice } from "../ui/error-message";
import { CONTROL_LOOK } from "../ui/field";
import { versionHref } from "./links";

/**
 * Registers one of the run's logged models: pick an existing registered model (suggested as one
 * types) or type a new name, which creates the model.
 */
export function RegisterModel({ slug, runId, loggedModel }: { slug: string; runId: string; loggedModel: RouterOutputs["registry"]["forRun"]["loggedModels"][number] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const listId = useId();
  const [name, setName] = useState(loggedModel.name);
  const typed = name.trim();
  const like = `'%${typed.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/[%_]/g, "\\$&")}%'`;
  const suggestions = useQuery(
    trpc.registry.models.list.queryOptions({ projectSlug: slug, filter: typed ? `name ILIKE ${like}` : "", pageSize: 20 }, { staleTime: 10_000 }),
  );
  const register = useMutation(trpc.registry.register.mutationOptions({ onSuccess: () => router.refresh() }));
  const exists = suggestions.data?.models.some((model) => model.name === typed) ?? false;
  return (
    <form
      className="space-y-2"
      aria-label={`Register ${loggedModel.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        register.mutate({ projectSlug: slug, runId, loggedModelId: loggedModel.modelId, name: typed });
      }}
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm text-gray-900">{loggedModel.name}</span>
        <code className="text-xs text-gray-400">{loggedModel.modelId}</code>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <input
          aria-label={`Registered model name for ${loggedModel.name}`}
          list={listId}
          className={cn(CONTROL_LOOK, "w-64 px-2 py-1")}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <datalist id={listId}>
          {suggestions.data?.models.map((model) => (
            <option key={model.name} value={model.name} />
          ))}
        </datalist>
        <Button type="submit" size="sm" pending={register.isPending} disabled={!typed}>
          Register model
        </Button>
        {typed ? <span className="text-xs text-gray-500">{exists ? "adds a new version" : "creates a new registered model"}</span> : null}
      </div>
      <ErrorMessage error={register.error} />
      {register.data ? (
        <Notice tone="success">
          Registered as{" "}
          <Link className="font-medium underline" href={versionHref(slug, register.data.modelName, register.data.version)}>
            {register.data.modelName} v{register.data.version}
          </Link>
          .
        </Notice>
      ) : null}
    </form>
  );
}
