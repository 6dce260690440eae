"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ROLE_LABELS, type Role } from "@/lib/rbac";
import { INVITE_MAX_DAYS } from "@/lib/schemas/projects";
import { useTRPC } from "@/lib/trpc-client";
import { RoleBadge } from "../projects/role-badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { CopyField } from "../ui/copy-button";
import { ErrorMessage, Notice } from "../ui/error-message";
import { SelectField, TextField } from "../ui/field";
import { formatDateTime } from "../ui/format";
import { EmptyRow, Table, TBody, Td, Th, THead } from "../ui/table";
import { RoleOptions } from "./role-options";

export function InviteLinks({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invites = useQuery(trpc.invites.list.queryOptions({ projectSlug: slug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.invites.list.queryKey({ projectSlug: slug }) });
  const [role, setRole] = useState<Role>("MEMBER");
  const [days, setDays] = useState("7");
  const [email, setEmail] = useState("");
  const [created, setCreated] = useState<{ link: string; role: Role } | null>(null);
  const create = useMutation(
    trpc.invites.create.mutationOptions({
      onSuccess: ({ token, invite }) => {
        setCreated({ link: `${window.location.origin}/invite/${token}`, role: invite.role });
        return refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.invites.revoke.mutationOptions({ onSettled: refresh }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.mutate({ projectSlug: slug, role, expiresInDays: Number(days), email: email.trim() || undefined });
  }

  return (
    <Card>
      <CardHeader
        title="Invite links"
        description="An invite link lets one person sign up (or sign in) and join this project with the role you choose."
      />
      <CardBody className="space-y-4">
        <form onSubmit={submit} className="grid gap-4 sm:grid-cols-[1fr_10rem_10rem_auto] sm:items-end" noValidate>
          <TextField
            label="For email (optional)"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            hint="Only that person can use the link."
          />
          <SelectField label="Invite role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <RoleOptions />
          </SelectField>
          <TextField
            label="Expires after (days)"
            type="number"
            min={1}
            max={INVITE_MAX_DAYS}
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
          <Button type="submit" pending={create.isPending}>
            Create invite link
          </Button>
        </form>
        <ErrorMessage error={create.error} />
        {created ? (
          <Notice tone="success">
            <div className="space-y-2">
              <p>
                Invite link for a <strong>{ROLE_LABELS[created.role]}</strong>. Copy it now: it is shown only once.
              </p>
              <CopyField value={created.link} label="Invite link" testId="invite-link" />
            </div>
          </Notice>
        ) : null}
      </CardBody>
      <div className="border-t border-gray-200">
        <ErrorMessage error={revoke.error} />
        <Table label="Pending invites">
          <THead>
            <Th>Role</Th>
            <Th>For</Th>
            <Th>Created</Th>
            <Th>Expires</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </THead>
          <TBody>
            {invites.isPending ? (
              <EmptyRow colSpan={5}>Loading invites…</EmptyRow>
            ) : (invites.data ?? []).length === 0 ? (
              <EmptyRow colSpan={5}>No pending invites.</EmptyRow>
            ) : (
              invites.data?.map((invite) => (
                <tr key={invite.id}>
                  <Td>
                    <RoleBadge role={invite.role} />
                  </Td>
                  <Td>{invite.email ?? "anyone with the link"}</Td>
                  <Td>{formatDateTime(invite.createdAt)}</Td>
                  <Td>{formatDateTime(invite.expiresAt)}</Td>
                  <Td className="text-right">
                    <Button
                      variant="secondary"
                      size="sm"
                      pending={revoke.isPending && revoke.variables?.inviteId === invite.id}
                      onClick={() => revoke.mutate({ projectSlug: slug, inviteId: invite.id })}
                    >
                      Revoke
                    </Button>
                  </Td>
                </tr>
              ))
            )}
          </TBody>
        </Table>
      </div>
    </Card>
  );
}
