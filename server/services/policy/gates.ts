import type { Role } from "@/lib/rbac";
import { isAliasPattern } from "./format";
import type { ApprovalPolicy, FreezeWindow, Gate, PolicyEntry, PromotionTarget } from "./types";

/** `*` any run of characters, `?` one character; everything else literally, over the whole alias. */
function globMatches(pattern: string, alias: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`).test(alias);
}

function entryFor(policy: ApprovalPolicy, target: PromotionTarget): PolicyEntry | undefined {
  if (target.kind === "stage") {
    return policy.entries.find((entry) => entry.target.kind === "stage" && entry.target.stage === target.stage);
  }
  const aliasEntries = policy.entries.filter((entry) => entry.target.kind === "alias");
  const pattern = (entry: PolicyEntry) => (entry.target.kind === "alias" ? entry.target.pattern : "");
  // An exact name wins over any pattern; among patterns, the first listed that matches.
  return (
    aliasEntries.find((entry) => !isAliasPattern(pattern(entry)) && pattern(entry) === target.alias) ??
    aliasEntries.find((entry) => isAliasPattern(pattern(entry)) && globMatches(pattern(entry), target.alias))
  );
}

/** The gate in front of a target, or null when promotions to it need no approval. */
export function gateFor(policy: ApprovalPolicy, target: PromotionTarget): Gate | null {
  const entry = entryFor(policy, target);
  if (!entry || !entry.gated) return null;
  const { gated: _gated, ...gate } = entry;
  return gate;
}

/** Whether someone with this project role may approve promotions through the gate (tokens have no role: never). */
export function mayApprove(gate: Gate, role: Role | null): boolean {
  if (role !== "OWNER" && role !== "MAINTAINER") return false;
  return gate.approvers.includes(role === "OWNER" ? "owner" : "maintainer");
}

/** The freeze window in force at `now`, if any (from inclusive, to exclusive). */
export function activeFreeze(gate: Gate, now: Date = new Date()): FreezeWindow | null {
  const time = now.getTime();
  return gate.freeze.find((window) => Date.parse(window.from) <= time && time < Date.parse(window.to)) ?? null;
}
