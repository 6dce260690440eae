import { describe, expect, it } from "vitest";
import { hasScope, ROLES, SCOPES, scopesOf, tokenHasScope, TOKEN_SCOPES, type Role, type Scope, type TokenScope } from "@/lib/rbac";

/**
 * The permission matrix (docs/permissions.md, "Roles and scopes"), written out cell by cell so that a
 * change to lib/rbac.ts has to be a deliberate change to this table too.
 *   V = viewer, M = member, T = maintainer, O = owner.
 */
const Y = true;
const N = false;
const ROLE_MATRIX: Record<Scope, Record<Role, boolean>> = {
  //                              VIEWER     MEMBER     MAINTAINER     OWNER
  "project:read": /*            */ { VIEWER: Y, MEMBER: Y, MAINTAINER: Y, OWNER: Y },
  "audit:read": /*              */ { VIEWER: Y, MEMBER: Y, MAINTAINER: Y, OWNER: Y },
  "runs:write": /*              */ { VIEWER: N, MEMBER: Y, MAINTAINER: Y, OWNER: Y },
  "registry:write": /*          */ { VIEWER: N, MEMBER: Y, MAINTAINER: Y, OWNER: Y },
  "modelCards:write": /*        */ { VIEWER: N, MEMBER: Y, MAINTAINER: Y, OWNER: Y },
  "promotions:request": /*      */ { VIEWER: N, MEMBER: Y, MAINTAINER: Y, OWNER: Y },
  "promotions:approveUngated": /**/ { VIEWER: N, MEMBER: N, MAINTAINER: Y, OWNER: Y },
  "runs:delete": /*             */ { VIEWER: N, MEMBER: N, MAINTAINER: Y, OWNER: Y },
  "registry:delete": /*         */ { VIEWER: N, MEMBER: N, MAINTAINER: Y, OWNER: Y },
  "modelCards:configure": /*    */ { VIEWER: N, MEMBER: N, MAINTAINER: Y, OWNER: Y },
  "apiTokens:manage": /*        */ { VIEWER: N, MEMBER: N, MAINTAINER: Y, OWNER: Y },
  "webhooks:manage": /*         */ { VIEWER: N, MEMBER: N, MAINTAINER: Y, OWNER: Y },
  // Maintainers approve gated targets only when the project's policy names them; that is decided by
  // the policy, not by the role.
  "promotions:approveGated": /* */ { VIEWER: N, MEMBER: N, MAINTAINER: N, OWNER: Y },
  "policy:manage": /*           */ { VIEWER: N, MEMBER: N, MAINTAINER: N, OWNER: Y },
  "members:manage": /*          */ { VIEWER: N, MEMBER: N, MAINTAINER: N, OWNER: Y },
  "project:update": /*          */ { VIEWER: N, MEMBER: N, MAINTAINER: N, OWNER: Y },
  "project:delete": /*          */ { VIEWER: N, MEMBER: N, MAINTAINER: N, OWNER: Y },
};

/** What each API token scope grants (lib/rbac.ts). Tokens never approve and never manage anything. */
const TOKEN_MATRIX: Record<TokenScope, readonly Scope[]> = {
  read: ["project:read"],
  write: ["project:read", "runs:write", "runs:delete", "registry:write", "registry:delete", "modelCards:write"],
  promote: ["project:read", "promotions:request"],
};

const cells = ROLES.flatMap((role) => SCOPES.map((scope) => ({ role, scope, expected: ROLE_MATRIX[scope][role] })));

describe("role scope matrix", () => {
  it("covers exactly the roles and scopes lib/rbac.ts defines", () => {
    expect(Object.keys(ROLE_MATRIX).sort()).toEqual([...SCOPES].sort());
    expect([...ROLES].sort()).toEqual(["MAINTAINER", "MEMBER", "OWNER", "VIEWER"]);
  });

  it.each(cells)("$role has $scope: $expected", ({ role, scope, expected }) => {
    expect(hasScope(role, scope)).toBe(expected);
  });

  it.each(ROLES)("scopesOf(%s) lists exactly the scopes the table grants", (role) => {
    const granted = SCOPES.filter((scope) => ROLE_MATRIX[scope][role]);
    expect(scopesOf(role)).toEqual(granted);
  });

  it("grants each role everything the role below it has", () => {
    const ladder: Role[] = ["VIEWER", "MEMBER", "MAINTAINER", "OWNER"];
    for (let i = 1; i < ladder.length; i++) {
      const lower = scopesOf(ladder[i - 1]!);
      const higher = scopesOf(ladder[i]!);
      expect(higher).toEqual(expect.arrayContaining(lower));
      expect(higher.length).toBeGreaterThan(lower.length);
    }
  });

  it("gives the owner every scope", () => {
    expect(scopesOf("OWNER")).toEqual([...SCOPES]);
  });

  it("grants nothing without a role", () => {
    for (const scope of SCOPES) {
      expect(hasScope(null, scope)).toBe(false);
      expect(hasScope(undefined, scope)).toBe(false);
    }
  });
});

describe("API token scopes", () => {
  const tokenCells = TOKEN_SCOPES.flatMap((tokenScope) =>
    SCOPES.map((scope) => ({ tokenScope, scope, expected: TOKEN_MATRIX[tokenScope].includes(scope) })),
  );

  it("covers exactly the token scopes lib/rbac.ts defines", () => {
    expect(Object.keys(TOKEN_MATRIX).sort()).toEqual([...TOKEN_SCOPES].sort());
  });

  it.each(tokenCells)("a $tokenScope token has $scope: $expected", ({ tokenScope, scope, expected }) => {
    expect(tokenHasScope([tokenScope], scope)).toBe(expected);
  });

  it("never grants an approve or manage scope, whatever the combination of token scopes", () => {
    const humanOnly = SCOPES.filter((scope) => /approve|manage/.test(scope));
    expect(humanOnly).toEqual(
      expect.arrayContaining(["promotions:approveUngated", "promotions:approveGated", "apiTokens:manage", "members:manage"]),
    );
    const all: TokenScope[] = [...TOKEN_SCOPES];
    for (const scope of humanOnly) expect(tokenHasScope(all, scope), scope).toBe(false);
    // Nor any project administration.
    for (const scope of ["project:update", "project:delete", "audit:read"] as const) {
      expect(tokenHasScope(all, scope), scope).toBe(false);
    }
  });

  it("combines token scopes as a union", () => {
    expect(tokenHasScope(["read", "promote"], "promotions:request")).toBe(true);
    expect(tokenHasScope(["read", "promote"], "runs:write")).toBe(false);
    expect(tokenHasScope(["write", "promote"], "runs:write")).toBe(true);
  });

  it("grants nothing with no token scopes", () => {
    for (const scope of SCOPES) expect(tokenHasScope([], scope)).toBe(false);
  });
});
