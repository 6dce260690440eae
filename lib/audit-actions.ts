import { REGISTRY_EVENT_KINDS } from "./model-registry-states";

/**
 * Every action the audit log records, as `resource.verb`. `recordAudit` accepts only these, so a new
 * or misspelt action fails compilation instead of reaching the log as a string nobody filters on.
 * Lives in lib/ so the audit-log UI can share the list; stored events keep the plain string.
 */
export const AUDIT_ACTIONS = [
  // Accounts: sign-up or admin creation, an admin marking an e-mail verified, the first admin's promotion.
  "user.create",
  "user.verify_email",
  "user.promote_admin",
  // Sign-in: a failed attempt, recorded with no one signed in.
  "auth.sign_in_failed",
  // HTTP edge: a request refused before reaching a project (a cross-site tRPC mutation).
  "request.refused",
  // Projects: creation, settings changes, deletion.
  "project.create",
  "project.update",
  "project.delete",
  // Memberships: a member added (also the creator of a new project), a role changed, a member removed or leaving.
  "member.add",
  "member.role_change",
  "member.remove",
  // Invitations: created, revoked, accepted by the invited user.
  "invite.create",
  "invite.revoke",
  "invite.accept",
  // API tokens: created, revoked, first seen from a new client address.
  "token.create",
  "token.revoke",
  "token.new_address",
  // Experiments: renamed, soft-deleted, restored.
  "experiment.rename",
  "experiment.delete",
  "experiment.restore",
  // Runs: renamed (run_name, or the mlflow.runName tag in a batch), soft-deleted, restored.
  "run.rename",
  "run.delete",
  "run.restore",
  // Model cards: the project's own card sections added (or brought back), renamed, removed.
  "card_section.add",
  "card_section.rename",
  "card_section.remove",
  // Webhooks: created, edited (incl. a new secret, never recorded), deleted, a test event sent, a delivery sent again.
  "webhook.create",
  "webhook.update",
  "webhook.delete",
  "webhook.test",
  "webhook.redeliver",
  // Model registry: every change a model's history records (REGISTRY_EVENT_KINDS), prefixed.
  ...REGISTRY_EVENT_KINDS.map((kind) => `registry.${kind}` as const),
  // Approval policy: a new revision saved by an owner.
  "policy.update",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The actions recorded with no one identified behind them (`recordAnonymousEvent`). */
export type AnonymousAuditAction = Extract<AuditAction, "auth.sign_in_failed" | "request.refused">;
