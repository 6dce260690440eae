import { z } from "zod";
import { policyDocumentAnswer } from "./api-answers";
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

/**
 * The `If-Match` header of `PUT /api/v1/projects/<slug>/policy`: `"3"` (or 3, or W/"3") → revision 3;
 * absent or `*` → no condition.
 */
export const policyIfMatch = z
  .string()
  .optional()
  .transform((header, ctx) => {
    const value = header?.trim();
    if (!value || value === "*") return undefined;
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
    if (match) return Number(match[1]);
    ctx.addIssue({ code: "custom", message: `If-Match must be the policy's revision as its ETag gives it (e.g. "3"), not ${value}` });
    return z.NEVER;
  })
  .meta({ description: 'The revision the edit started from, as the ETag gave it ("3"): refused with 409 when the policy changed since' });

/**
 * The policy document a PUT sends, as YAML or JSON (docs/approval-policy.md): what GET answers, with
 * the version and the expiry optional. The description is for clients; the policy parser checks the
 * text itself and names each problem's line.
 */
export const policyDocumentInput = policyDocumentAnswer.partial({ version: true, request_expiry_days: true });
