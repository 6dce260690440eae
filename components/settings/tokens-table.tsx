"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { ConfirmDialog } from "../ui/dialog";
import { ErrorMessage } from "../ui/error-message";
import { formatDate, formatDateTime } from "../ui/format";
import { EmptyRow, Table, TBody, Td, Th, THead } from "../ui/table";

export function TokensTable({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.tokens.list.queryOptions({ projectSlug: slug }));
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(null);
        await queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey({ projectSlug: slug }) });
      },
    }),
  );

  return (
    <Card>
      <CardHeader title="Active tokens" description="Revoked tokens stop working immediately." />
      <Table label="API tokens">
        <THead>
          <Th>Name</Th>
          <Th>Prefix</Th>
          <Th>Scopes</Th>
          <Th>Created by</Th>
          <Th>Created</Th>
          <Th>Last used</Th>
          <Th>Expires</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <TBody>
          {tokens.isPending ? (
            <EmptyRow colSpan={8}>Loading tokens…</EmptyRow>
          ) : tokens.error ? (
            <EmptyRow colSpan={8}>
              <ErrorMessage error={tokens.error} />
            </EmptyRow>
          ) : tokens.data.length === 0 ? (
            <EmptyRow colSpan={8}>No active tokens.</EmptyRow>
          ) : (
            tokens.data.map((token) => (
              <tr key={token.id} data-testid="token-row">
                <Td className="whitespace-nowrap font-medium text-gray-900">{token.name}</Td>
                <Td className="font-mono text-xs">{token.displayPrefix}</Td>
                <Td>
                  <div className="flex flex-wrap gap-1">
                    {token.scopes.map((scope) => (
                      <Badge key={scope}>{scope}</Badge>
                    ))}
                  </div>
                </Td>
                <Td className="text-xs">{token.createdBy ?? "—"}</Td>
                <Td className="whitespace-nowrap">{formatDate(token.createdAt)}</Td>
                <Td className="whitespace-nowrap">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "never"}</Td>
                <Td className="whitespace-nowrap">{token.expiresAt ? formatDate(token.expiresAt) : "never"}</Td>
                <Td className="text-right">
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={`Revoke ${token.name}`}
                    onClick={() => setRevoking({ id: token.id, name: token.name })}
                  >
                    Revoke
                  </Button>
                </Td>
              </tr>
            ))
          )}
        </TBody>
      </Table>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke token?"
        body={`Anything using “${revoking?.name}” will get 401 Unauthorized from now on. This cannot be undone.`}
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        error={revoke.error ? <ErrorMessage error={revoke.error} /> : null}
        onConfirm={() => revoking && revoke.mutate({ projectSlug: slug, tokenId: revoking.id })}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
      />
    </Card>
  );
}
