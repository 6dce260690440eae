"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorMessage } from "../ui/error-message";
import { TextField } from "../ui/field";

export function DeleteProject({ slug, name }: { slug: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirmSlug, setConfirmSlug] = useState("");
  const remove = useMutation(
    trpc.projects.delete.mutationOptions({
      onSuccess: () => {
        router.push("/projects");
        router.refresh();
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    remove.mutate({ projectSlug: slug, confirmSlug });
  }

  return (
    <Card className="border-red-200">
      <CardHeader
        title="Danger zone"
        description={`Deleting ${name} removes its experiments, runs, models, members and API tokens for good. The audit log is kept.`}
      />
      <CardBody>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <TextField
            label={`Type ${slug} to confirm`}
            value={confirmSlug}
            autoComplete="off"
            className="font-mono"
            onChange={(e) => setConfirmSlug(e.target.value)}
          />
          <ErrorMessage error={remove.error} />
          <Button type="submit" variant="danger" disabled={confirmSlug !== slug} pending={remove.isPending || remove.isSuccess}>
            Delete this project
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
