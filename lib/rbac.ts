/**
 * Roles, scopes and the one function (`hasScope`) that both server guards and the UI use, so the UI
 * hides exactly what the server refuses. The matrix is written out in docs/permissions.md.
 */
export const ROLES = ["OWNER", "MAINTAINER", "MEMBER", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = [
  "project:read",
  "audit:read",
  "runs:write",
  "registry:write",
  "modelCards:write",
  "modelCards:configure",
  "promotions:request",
  "promotions:approveUngated",
  "promotions:approveGated",
  "runs:delete",
  "registry:delete",
  "apiTokens:manage",
  "webhooks:manage",
  "policy:manage",
  "members:manage",
  "project:update",
  "project:delete",
] as const;
export type Scope = (typeof SCOPES)[number];

const VIEWER_SCOPES: readonly Scope[] = ["project:read", "audit:read"];
const MEMBER_SCOPES: readonly Scope[] = [
  ...VIEWER_SCOPES,
  "runs:write",
  "registry:write",
  "modelCards:write",
  "promotions:request",
];
const MAINTAINER_SCOPES: readonly Scope[] = [
  ...MEMBER_SCOPES,
  "promotions:approveUngated",
  "runs:delete",
  "registry:delete",
  "modelCards:configure",
  "apiTokens:manage",
  "webhooks:manage",
];
const OWNER_SCOPES: readonly Scope[] = SCOPES;

/**
 * `promotions:approveGated` is deliberately absent for maintainers: the approval policy decides per
 * gated target whether maintainers may approve, so that check lives with the policy, not here.
 */
const ROLE_SCOPES: Record<Role, ReadonlySet<Scope>> = {
  VIEWER: new Set(VIEWER_SCOPES),
  MEMBER: new Set(MEMBER_SCOPES),
  MAINTAINER: new Set(MAINTAINER_SCOPES),
  OWNER: new Set(OWNER_SCOPES),
};

export function hasScope(role: Role | null | undefined, scope: Scope): boolean {
  return role ? ROLE_SCOPES[role].has(scope) : false;
}

export function scopesOf(role: Role): Scope[] {
  return SCOPES.filter((scope) => ROLE_SCOPES[role].has(scope));
}

/** What an API token may be granted. A token can never approve: approvals are human decisions. */
export const TOKEN_SCOPES = ["read", "write", "promote"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const TOKEN_SCOPE_GRANTS: Record<TokenScope, readonly Scope[]> = {
  read: ["project:read"],
  // Tracking clients soft-delete and restore runs and experiments through the MLflow API.
  // …and register, tag, transition and delete model versions, as MLflow's clients do.
  write: ["project:read", "runs:write", "runs:delete", "registry:write", "registry:delete", "modelCards:write"],
  promote: ["project:read", "promotions:request"],
};

export function tokenHasScope(tokenScopes: readonly TokenScope[], scope: Scope): boolean {
  return tokenScopes.some((granted) => TOKEN_SCOPE_GRANTS[granted].includes(scope));
}

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: "Owner",
  MAINTAINER: "Maintainer",
  MEMBER: "Member",
  VIEWER: "Viewer",
};
