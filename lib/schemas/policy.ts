import { z } from "zod";
import { projectRef } from "./projects";

/**
 * tRPC inputs of the approval policy. Only the envelope is checked here: the policy service reads
 * every policy through its YAML parser, which gives each reason with its line and key path
 * (docs/approval-policy.md).
 */
/** The longest policy text accepted (YAML or JSON). */
export const MAX_POLICY_TEXT = 64 * 1024;

/** The policy as YAML (or JSON) text, or as a document (the snake_case shape the form edits). */
export const policySource = z.union([
  z.object({ yaml: z.string().max(MAX_POLICY_TEXT, `A policy may be at most ${MAX_POLICY_TEXT} characters`) }),
  z.object({ document: z.record(z.string(), z.unknown()) }),
]);

export const previewPolicyInput = projectRef.extend({ source: policySource });
export const updatePolicyInput = projectRef.extend({
  source: policySource,
  /** The revision the editor started from (0: the defaults). */
  basedOnRevision: z.number().int().min(0),
});
