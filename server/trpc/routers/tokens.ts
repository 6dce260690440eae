import { createTokenInput, tokenRef } from "@/lib/schemas/projects";
import { createToken, listTokens, revokeToken } from "../../services/api-tokens";
import { projectProcedure, router } from "../init";

export const tokensRouter = router({
  list: projectProcedure().query(({ ctx }) => listTokens(ctx.access)),
  /** The only response that ever contains the token's plaintext. */
  create: projectProcedure()
    .input(createTokenInput)
    .mutation(({ ctx, input }) => createToken(ctx.access, input)),
  revoke: projectProcedure()
    .input(tokenRef)
    .mutation(({ ctx, input }) => revokeToken(ctx.access, input.tokenId)),
});
