"use client";

import { useState, type FormEvent } from "react";
import { WEBHOOK_SECRET_MIN } from "@/lib/schemas/webhooks";
import { WEBHOOK_EVENT_KINDS, WEBHOOK_EVENT_LABELS, type WebhookEventKind, type WebhookFormat } from "@/lib/webhook-events";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { TextField } from "../ui/field";

export interface WebhookFormValues {
  name: string;
  url: string;
  /** Empty when editing and the secret is kept. */
  secret: string;
  events: WebhookEventKind[];
  format: WebhookFormat;
  active: boolean;
}

const CHECKBOX = "mt-0.5 h-4 w-4 rounded border-gray-300 text-indigo-600";

/** 32 random bytes as hex, made in the browser: the server never chose it, and it is shown only here. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The create and edit form. The secret is write-only: on edit it starts empty and is replaced only
 * when something is typed (or generated).
 */
export function WebhookForm({
  initial,
  editing,
  pending,
  error,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: WebhookFormValues;
  editing: boolean;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (values: WebhookFormValues) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const set = <K extends keyof WebhookFormValues>(key: K, value: WebhookFormValues[K]) => setValues((current) => ({ ...current, [key]: value }));

  function toggle(kind: WebhookEventKind, checked: boolean) {
    set("events", checked ? [...values.events, kind] : values.events.filter((k) => k !== kind));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(values);
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" placeholder="e.g. deploy-bot" value={values.name} onChange={(e) => set("name", e.target.value)} required />
        <TextField
          label="Payload URL"
          type="url"
          placeholder="https://example.com/tally-webhook"
          value={values.url}
          onChange={(e) => set("url", e.target.value)}
          required
        />
      </div>
      <div className="flex items-end gap-2">
        <TextField
          wrapperClassName="flex-1"
          label="Secret"
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
          value={values.secret}
          onChange={(e) => set("secret", e.target.value)}
          placeholder={editing ? "Leave empty to keep the current secret" : `At least ${WEBHOOK_SECRET_MIN} characters`}
          hint="Used to sign every delivery (X-Tally-Signature). It is never shown again after you save: copy it to the receiver now."
        />
        <Button variant="secondary" className="mb-5" onClick={() => set("secret", randomSecret())}>
          Generate
        </Button>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">Events</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {WEBHOOK_EVENT_KINDS.map((kind) => (
            <label key={kind} className="flex items-start gap-2 text-sm">
              <input type="checkbox" className={CHECKBOX} checked={values.events.includes(kind)} onChange={(e) => toggle(kind, e.target.checked)} />
              <span>
                {WEBHOOK_EVENT_LABELS[kind]} <span className="ml-1 font-mono text-xs text-gray-500">{kind}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="space-y-2">
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className={CHECKBOX} checked={values.format === "slack"} onChange={(e) => set("format", e.target.checked ? "slack" : "tally")} />
          <span>
            Slack-compatible payload <span className="ml-1 text-gray-500">(a one-line {"{ \"text\": … }"} message for Slack or Mattermost incoming webhooks)</span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className={CHECKBOX} checked={values.active} onChange={(e) => set("active", e.target.checked)} />
          <span>Active</span>
        </label>
      </div>
      <ErrorMessage error={error} />
      <div className="flex gap-2">
        <Button type="submit" pending={pending}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
