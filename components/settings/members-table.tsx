"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ROLE_LABELS, type Role } from "@/lib/rbac";
import type { RouterOutputs } from "@/lib/router-outputs";
import { useTRPC } from "@/lib/trpc-client";
import { RoleBadge } from "../projects/role-badge";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { ConfirmDialog } from "../ui/dialog";
import { ErrorMessage } from "../ui/error-message";
import { Select } from "../ui/field";
import { formatDate } from "../ui/format";
import { EmptyRow, Table, TBody, Td, Th, THead } from "../ui/table";
import { RoleOptions } from "./role-options";

type Member = RouterOutputs["members"]["list"][number];

export function MembersTable({ slug, canManage, myUserId }: { slug: string; canManage: boolean; myUserId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.members.list.queryOptions({ projectSlug: slug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ projectSlug: slug }) });
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions());
  const [removing, setRemoving] = useState<Member | null>(null);
  const leaving = removing?.userId === myUserId;

  async function confirmRemove() {
    if (!removing) return;
    try {
      await remove.mutateAsync({ projectSlug: slug, userId: removing.userId });
    } catch {
      return; // the dialog shows the error
    }
    if (leaving) {
      router.push("/projects");
      router.refresh();
      return;
    }
    setRemoving(null);
    await refresh();
  }

  const rows = members.data ?? [];
  return (
    <Card>
      <CardHeader
        title="Members"
        description={canManage ? "People with access to this project and their roles." : "People with access to this project. Only owners can change roles."}
      />
      <div className="space-y-3">
        {changeRole.error ? (
          <div className="px-5 pt-3">
            <ErrorMessage error={changeRole.error} />
          </div>
        ) : null}
        <Table label="Members">
          <THead>
            <Th>Email</Th>
            <Th>Name</Th>
            <Th>Role</Th>
            <Th>Joined</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </THead>
          <TBody>
            {members.isPending ? (
              <EmptyRow colSpan={5}>Loading members…</EmptyRow>
            ) : members.error ? (
              <EmptyRow colSpan={5}>
                <ErrorMessage error={members.error} />
              </EmptyRow>
            ) : (
              rows.map((member) => {
                const self = member.userId === myUserId;
                return (
                  <tr key={member.userId} data-testid="member-row">
                    <Td className="font-medium text-gray-900">
                      {member.email} {self ? <Badge>You</Badge> : null}
                      {member.emailVerified ? null : <Badge tone="amber">Email not verified</Badge>}
                    </Td>
                    <Td>{member.name ?? "—"}</Td>
                    <Td>
                      {canManage ? (
                        <Select
                          aria-label={`Role of ${member.email}`}
                          className="w-36 py-1"
                          value={member.role}
                          disabled={changeRole.isPending}
                          onChange={(e) =>
                            changeRole.mutate({ projectSlug: slug, userId: member.userId, role: e.target.value as Role })
                          }
                        >
                          <RoleOptions />
                        </Select>
                      ) : (
                        <RoleBadge role={member.role} />
                      )}
                    </Td>
                    <Td>{formatDate(member.joinedAt)}</Td>
                    <Td className="text-right">
                      {self ? (
                        <Button variant="secondary" size="sm" onClick={() => setRemoving(member)}>
                          Leave project
                        </Button>
                      ) : canManage ? (
                        <Button variant="secondary" size="sm" aria-label={`Remove ${member.email}`} onClick={() => setRemoving(member)}>
                          Remove
                        </Button>
                      ) : null}
                    </Td>
                  </tr>
                );
              })
            )}
          </TBody>
        </Table>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={leaving ? "Leave this project?" : "Remove member?"}
        body={
          leaving
            ? "You will lose access to this project until someone invites you again."
            : `${removing?.email} (${removing ? ROLE_LABELS[removing.role] : ""}) will lose access to this project.`
        }
        confirmLabel={leaving ? "Leave project" : "Remove member"}
        pending={remove.isPending}
        error={remove.error ? <ErrorMessage error={remove.error} /> : null}
        onConfirm={() => void confirmRemove()}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
      />
    </Card>
  );
}
