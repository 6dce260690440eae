import type { TokenScope } from "@/lib/rbac";

/** Who is acting: a signed-in person, a project API token, or an operator at the admin CLI. */
export type Actor = UserActor | TokenActor | SystemActor;

export interface UserActor {
  type: "USER";
  userId: string;
  email: string;
  isAdmin: boolean;
}

/** A verified project token; it carries its project so the hot path needs no lookup for it. */
export interface TokenActor {
  type: "TOKEN";
  tokenId: string;
  tokenName: string;
  project: { id: string; slug: string; name: string };
  scopes: TokenScope[];
}

/** The headless admin CLI: whoever can run it already controls the database. */
export interface SystemActor {
  type: "SYSTEM";
  label: string;
}

export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case "USER":
      return actor.email;
    case "TOKEN":
      return `token ${actor.tokenName} (${actor.tokenId})`;
    case "SYSTEM":
      return actor.label;
  }
}
