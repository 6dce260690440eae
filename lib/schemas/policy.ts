import { z } from "zod";
import { projectRef } from "./projects";

/**
 * tRPC inputs of the approval policy. Only the shape is checked here; the policy service reads every
 * policy through its YAML parser, which gives the reasons with their lines (docs/approval-policy.md).
 */
const MAX_YAML = 64 * 1024;
const text = (max: number) => z.string().max(max);

const operand = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("number"), value: z.number() }),
  z.object({
    kind: z.literal("current"),
    adjust: z.object({ op: z.enum(["*", "+", "-"]), value: z.number() }).nullable(),
  }),
]);

const structuredPolicy = z.object({
  requestExpiryDays: z.number().int(),
  entries: z
    .array(
      z.object({
        target: z.discriminatedUnion("kind", [
          z.object({ kind: z.literal("stage"), stage: text(50) }),
          z.object({ kind: z.literal("alias"), pattern: text(300) }),
        ]),
        gated: z.boolean(),
        approvers: z.array(text(50)).max(10),
        approvals: z.number().int(),
        allowSelfApproval: z.boolean(),
        checks: z
          .array(
            z.object({
              text: text(1000),
              metric: text(500),
              comparator: z.enum([">=", ">", "<=", "<", "=="]),
              right: operand,
              direction: z.enum(["higher", "lower", "equal"]),
            }),
          )
          .max(100),
        cardSections: z.array(text(100)).max(50),
        datasetWithDigest: z.boolean(),
        freeze: z.array(z.object({ from: text(100), to: text(100), reason: text(1000).nullable() })).max(100),
      }),
    )
    .max(200),
});

/** The policy as YAML (or JSON) text, or structured as the form edits it. */
export const policySource = z.union([z.object({ yaml: text(MAX_YAML) }), z.object({ policy: structuredPolicy })]);

export const previewPolicyInput = projectRef.extend({ source: policySource });
export const updatePolicyInput = projectRef.extend({
  source: policySource,
  /** The revision the editor started from (0: the defaults). */
  basedOnRevision: z.number().int().min(0),
});
