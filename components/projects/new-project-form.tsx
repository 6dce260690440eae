"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorMessage } from "../ui/error-message";
import { TextField } from "../ui/field";

/** "My Model Zoo!" → "my-model-zoo" */
export function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}

export function NewProjectForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useMutation(
    trpc.projects.create.mutationOptions({ onSuccess: (project) => router.push(`/projects/${project.slug}`) }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, slug });
  }

  return (
    <Card>
      <CardHeader title="New project" description="Projects hold experiments, runs, models, members and API tokens. You become the owner." />
      <CardBody>
        <form onSubmit={submit} className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start" noValidate>
          <TextField
            label="Project name"
            value={name}
            required
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(suggestSlug(e.target.value));
            }}
          />
          <TextField
            label="Slug"
            value={slug}
            required
            className="font-mono"
            hint="Used in URLs and MLFLOW_TRACKING_URI; cannot be changed later."
            onChange={(e) => {
              setSlug(e.target.value);
              setSlugEdited(true);
            }}
          />
          <Button type="submit" className="sm:mt-6" pending={create.isPending || create.isSuccess}>
            Create project
          </Button>
        </form>
        <div className="mt-4">
          <ErrorMessage error={create.error} />
        </div>
      </CardBody>
    </Card>
  );
}
