import { previewPolicyInput, updatePolicyInput } from "@/lib/schemas/policy";
import { projectRef } from "@/lib/schemas/projects";
import { getPolicy, policyRevisions, previewPolicy, updatePolicy } from "../../services/policy";
import { projectProcedure, router } from "../init";

/** The approval policy: everyone reads it; owners (policy:manage) check and save changes. */
export const policyRouter = router({
  get: projectProcedure()
    .input(projectRef)
    .query(({ ctx }) => getPolicy(ctx.access)),
  revisions: projectProcedure()
    .input(projectRef)
    .query(({ ctx }) => policyRevisions(ctx.access)),
  /** Checks a policy without saving it: the canonical YAML and parsed policy, or the problems with their lines. */
  preview: projectProcedure()
    .input(previewPolicyInput)
    .mutation(({ ctx, input }) => previewPolicy(ctx.access, input.source)),
  update: projectProcedure()
    .input(updatePolicyInput)
    .mutation(({ ctx, input }) => updatePolicy(ctx.access, input.source, { basedOnRevision: input.basedOnRevision })),
});
