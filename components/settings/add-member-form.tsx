"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { Role } from "@/lib/rbac";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorMessage, Notice } from "../ui/error-message";
import { SelectField, TextField } from "../ui/field";
import { RoleOptions } from "./role-options";

export function AddMemberForm({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("MEMBER");
  const add = useMutation(
    trpc.members.add.mutationOptions({
      onSuccess: () => {
        setEmail("");
        return queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ projectSlug: slug }) });
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ projectSlug: slug, email, role });
  }

  return (
    <Card>
      <CardHeader title="Add a member" description="Add someone who already has a Tally account. For anyone else, create an invite link below." />
      <CardBody className="space-y-3">
        <form onSubmit={submit} className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-end" noValidate>
          <TextField label="Email address" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <RoleOptions />
          </SelectField>
          <Button type="submit" pending={add.isPending}>
            Add member
          </Button>
        </form>
        <ErrorMessage error={add.error} />
        {add.isSuccess ? (
          add.data.emailVerified ? (
            <Notice tone="success">{add.data.email} was added.</Notice>
          ) : (
            <Notice tone="warning">
              {add.data.email} was added, but that account&apos;s email address was never verified: whoever created it
              typed it in. Make sure the account belongs to the person you mean, or send an invite link bound to their
              email instead.
            </Notice>
          )
        ) : null}
      </CardBody>
    </Card>
  );
}
