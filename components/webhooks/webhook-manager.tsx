"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { WEBHOOK_EVENT_LABELS } from "@/lib/webhook-events";
import { useTRPC } from "@/lib/trpc-client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ConfirmDialog } from "../ui/dialog";
import { ErrorMessage } from "../ui/error-message";
import { DeliveryLog } from "./delivery-log";
import { WebhookForm, type WebhookFormValues } from "./webhook-form";

const EMPTY: WebhookFormValues = { name: "", url: "", secret: "", events: ["version.created", "stage.changed", "alias.changed"], format: "tally", active: true };

/** Settings → Webhooks: the project's webhooks, each editable, testable and with its delivery log. */
export function WebhookManager({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const webhooks = useQuery(trpc.webhooks.list.queryOptions({ projectSlug: slug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [showing, setShowing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const [tested, setTested] = useState<string | null>(null);

  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: async (webhook) => {
        setCreating(false);
        setShowing(webhook.id);
        await refresh();
      },
    }),
  );
  const update = useMutation(
    trpc.webhooks.update.mutationOptions({
      onSuccess: async () => {
        setEditing(null);
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onSuccess: async () => {
        setDeleting(null);
        await refresh();
      },
    }),
  );
  const sendTest = useMutation(
    trpc.webhooks.sendTest.mutationOptions({
      onSuccess: async (_result, input) => {
        setTested(input.webhookId);
        setShowing(input.webhookId);
        await refresh();
      },
    }),
  );

  return (
    <>
      <Card>
        <CardHeader
          title="Webhooks"
          description="Tally POSTs a signed JSON event to each webhook when a version is created, a stage or alias changes, a card is saved, or a promotion is requested or decided. See docs/webhooks.md for the payload and how to verify signatures."
          actions={
            creating ? null : (
              <Button
                className="whitespace-nowrap"
                onClick={() => {
                  create.reset();
                  setCreating(true);
                }}
              >
                New webhook
              </Button>
            )
          }
        />
        {creating ? (
          <CardBody>
            <WebhookForm
              initial={EMPTY}
              editing={false}
              pending={create.isPending}
              error={create.error}
              submitLabel="Create webhook"
              onSubmit={(values) => create.mutate({ projectSlug: slug, ...values })}
              onCancel={() => setCreating(false)}
            />
          </CardBody>
        ) : null}
      </Card>

      {webhooks.isPending ? (
        <p className="text-sm text-gray-500">Loading webhooks…</p>
      ) : webhooks.error ? (
        <ErrorMessage error={webhooks.error} />
      ) : webhooks.data.length === 0 && !creating ? (
        <p className="text-sm text-gray-500">No webhooks yet.</p>
      ) : (
        webhooks.data.map((webhook) => (
          <Card key={webhook.id}>
            <div data-testid="webhook" className="space-y-3 p-5">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <h3 className="flex items-center gap-2 text-sm font-semibold text-gray-900">
                    {webhook.name}
                    {webhook.active ? <Badge tone="green">active</Badge> : <Badge>inactive</Badge>}
                    {webhook.format === "slack" ? <Badge tone="indigo">Slack</Badge> : null}
                  </h3>
                  <p className="mt-1 break-all font-mono text-xs text-gray-600">{webhook.url}</p>
                  <div className="mt-2 flex flex-wrap gap-1">
                    {webhook.events.map((kind) => (
                      <Badge key={kind}>{WEBHOOK_EVENT_LABELS[kind]}</Badge>
                    ))}
                  </div>
                </div>
                <div className="flex flex-wrap gap-2">
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={!webhook.active}
                    pending={sendTest.isPending && sendTest.variables?.webhookId === webhook.id}
                    onClick={() => sendTest.mutate({ projectSlug: slug, webhookId: webhook.id })}
                  >
                    Send test event
                  </Button>
                  <Button variant="secondary" size="sm" aria-expanded={showing === webhook.id} onClick={() => setShowing(showing === webhook.id ? null : webhook.id)}>
                    Deliveries
                  </Button>
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => {
                      update.reset();
                      setEditing(editing === webhook.id ? null : webhook.id);
                    }}
                  >
                    Edit
                  </Button>
                  <Button variant="secondary" size="sm" aria-label={`Delete ${webhook.name}`} onClick={() => setDeleting({ id: webhook.id, name: webhook.name })}>
                    Delete
                  </Button>
                </div>
              </div>
              {tested === webhook.id ? <p className="text-xs text-gray-600">Test event queued: it is sent within a few seconds.</p> : null}
              {sendTest.error && sendTest.variables?.webhookId === webhook.id ? <ErrorMessage error={sendTest.error} /> : null}
              {editing === webhook.id ? (
                <WebhookForm
                  initial={{ name: webhook.name, url: webhook.url, secret: "", events: webhook.events, format: webhook.format, active: webhook.active }}
                  editing
                  pending={update.isPending}
                  error={update.error}
                  submitLabel="Save webhook"
                  onSubmit={({ secret, ...values }) =>
                    update.mutate({ projectSlug: slug, webhookId: webhook.id, changes: { ...values, ...(secret ? { secret } : {}) } })
                  }
                  onCancel={() => setEditing(null)}
                />
              ) : null}
              {showing === webhook.id ? <DeliveryLog slug={slug} webhookId={webhook.id} /> : null}
            </div>
          </Card>
        ))
      )}

      <ConfirmDialog
        open={deleting !== null}
        title="Delete webhook?"
        body={`“${deleting?.name}” and its delivery log are deleted; pending deliveries are not sent.`}
        confirmLabel="Delete webhook"
        pending={remove.isPending}
        error={remove.error ? <ErrorMessage error={remove.error} /> : null}
        onConfirm={() => deleting && remove.mutate({ projectSlug: slug, webhookId: deleting.id })}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </>
  );
}
