"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { TOKEN_SCOPES, type TokenScope } from "@/lib/rbac";
import { TOKEN_MAX_DAYS } from "@/lib/schemas/projects";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorMessage } from "../ui/error-message";
import { TextField } from "../ui/field";

const SCOPE_HELP: Record<TokenScope, string> = {
  read: "Read runs, metrics, models and artifacts",
  write: "Log runs, metrics, params, tags and artifacts; register model versions",
  promote: "Request promotions (never approve them)",
};

export function CreateTokenForm({ slug, onCreated }: { slug: string; onCreated: (plaintext: string, name: string) => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TokenScope[]>(["read", "write"]);
  const [days, setDays] = useState("");
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: ({ plaintext, token }) => {
        setName("");
        onCreated(plaintext, token.name);
      },
    }),
  );

  function toggle(scope: TokenScope, checked: boolean) {
    setScopes((current) => (checked ? [...current, scope] : current.filter((s) => s !== scope)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ projectSlug: slug, name, scopes, expiresInDays: days ? Number(days) : undefined });
  }

  return (
    <Card>
      <CardHeader
        title="Create an API token"
        description="Project tokens let training jobs, clusters and CI log to this project (MLFLOW_TRACKING_TOKEN)."
      />
      <CardBody>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Token name" placeholder="e.g. training-cluster" value={name} onChange={(e) => setName(e.target.value)} required />
            <TextField
              label="Expires after (days)"
              type="number"
              min={1}
              max={TOKEN_MAX_DAYS}
              placeholder="Never"
              value={days}
              onChange={(e) => setDays(e.target.value)}
              hint="Leave empty for a token that does not expire."
            />
          </div>
          <fieldset>
            <legend className="text-sm font-medium text-gray-700">Scopes</legend>
            <div className="mt-2 space-y-2">
              {TOKEN_SCOPES.map((scope) => (
                <label key={scope} className="flex items-start gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="mt-0.5 h-4 w-4 rounded border-gray-300 text-indigo-600"
                    checked={scopes.includes(scope)}
                    onChange={(e) => toggle(scope, e.target.checked)}
                  />
                  <span>
                    <span className="font-mono font-medium text-gray-900">{scope}</span>{" "}
                    <span className="ml-1 text-gray-500">{SCOPE_HELP[scope]}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <ErrorMessage error={create.error} />
          <Button type="submit" pending={create.isPending}>
            Create token
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
