import { WEBHOOK_EVENT_LABELS, type WebhookDeliveredKind, type WebhookFormat } from "@/lib/webhook-events";
import { config } from "@/server/config";

/** The JSON body of a `tally`-format delivery (documented in docs/webhooks.md). */
export interface WebhookPayload {
  id: string;
  kind: WebhookDeliveredKind;
  /** ISO 8601, when the change committed. */
  time: string;
  project: { slug: string };
  model: { name: string } | null;
  version: number | null;
  actor: string;
  before: unknown;
  after: unknown;
  /** The changed object in the web app. */
  url: string;
}

/** The web app's base URL, as `npm start` announces it. */
export function appBaseUrl(): string {
  const env = config();
  return (env.TALLY_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

export function objectUrl(projectSlug: string, modelName: string | null, version: number | null): string {
  const project = `${appBaseUrl()}/projects/${encodeURIComponent(projectSlug)}`;
  if (!modelName) return `${project}/settings/webhooks`;
  const model = `${project}/models/${encodeURIComponent(modelName)}`;
  return version === null ? model : `${model}/versions/${version}`;
}

/** A promotion request's page. */
export function requestUrl(projectSlug: string, requestId: string): string {
  return `${appBaseUrl()}/projects/${encodeURIComponent(projectSlug)}/requests/${requestId}`;
}

/** A side of a change as history records it: `{ stage }`, `{ alias, version }` or `{ revision }`. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "none";
  const fields = value as Record<string, unknown>;
  if ("stage" in fields) return String(fields.stage);
  if ("version" in fields) return `v${String(fields.version)}`;
  if ("revision" in fields) return `revision ${String(fields.revision)}`;
  return JSON.stringify(value);
}

const aliasOf = (value: unknown) => (value && typeof value === "object" && "alias" in value ? String((value as { alias: unknown }).alias) : undefined);

/** One line for chat: what happened to which model, by whom, with a link. */
export function summaryLine(payload: WebhookPayload): string {
  if (payload.kind === "ping") return `Tally test event for project ${payload.project.slug}: <${payload.url}|webhook settings>`;
  const what = payload.model ? `${payload.model.name}${payload.version === null ? "" : ` v${payload.version}`}` : payload.project.slug;
  const alias = aliasOf(payload.before) ?? aliasOf(payload.after);
  const change = payload.before === null || payload.before === undefined ? "" : ` (${alias ? `${alias}: ` : ""}${describe(payload.before)} → ${describe(payload.after)})`;
  return `[${payload.project.slug}] ${WEBHOOK_EVENT_LABELS[payload.kind]}: ${what}${change} by ${payload.actor} <${payload.url}|open in Tally>`;
}

export function deliveryBody(format: WebhookFormat, payload: WebhookPayload): string {
  return JSON.stringify(format === "slack" ? { text: summaryLine(payload) } : payload);
}
