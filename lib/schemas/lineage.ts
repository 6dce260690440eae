import { z } from "zod";
import { projectRef } from "./projects";

/** The deepest walk a query may ask for (the service enforces the same bound). */
export const LINEAGE_MAX_DEPTH = 20;

export const lineageNodeId = z
  .string({ error: "node is required, e.g. run:<run id> or version:<model>/<n>" })
  .min(3, "node is required, e.g. run:<run id> or version:<model>/<n>")
  .max(2100);

export const lineageDirection = z.enum(["upstream", "downstream", "both"]);

export const lineageDepth = z.coerce
  .number({ error: `depth must be a whole number from 0 to ${LINEAGE_MAX_DEPTH}` })
  .int(`depth must be a whole number from 0 to ${LINEAGE_MAX_DEPTH}`)
  .min(0, `depth must be a whole number from 0 to ${LINEAGE_MAX_DEPTH}`)
  .max(LINEAGE_MAX_DEPTH, `depth must be a whole number from 0 to ${LINEAGE_MAX_DEPTH}`);

export const lineageGraphInput = projectRef.extend({
  node: lineageNodeId,
  direction: lineageDirection.default("both"),
  depth: lineageDepth.default(3),
});

/** Exactly one starting point: a dataset (optionally one digest), a git commit, or a logged model. */
export const lineageImpactQuery = z
  .object({
    dataset: z.string().min(1).max(1000).optional(),
    digest: z.string().min(1).max(1000).optional(),
    commit: z.string().min(1).max(64).optional(),
    model: z.string().min(1).max(64).optional(),
    depth: lineageDepth.default(LINEAGE_MAX_DEPTH),
  })
  .refine((query) => [query.dataset, query.commit, query.model].filter(Boolean).length === 1, {
    message: "give exactly one of dataset (with an optional digest), commit or model",
  })
  .refine((query) => !query.digest || query.dataset, { message: "digest needs dataset", path: ["digest"] });

export const lineageImpactInput = projectRef.extend({ query: lineageImpactQuery });
