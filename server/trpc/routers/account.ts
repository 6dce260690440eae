import { oidcEnabled } from "@/lib/env";
import { signUpInput } from "@/lib/schemas/accounts";
import { accountPolicy } from "../../auth/account-policy";
import { config } from "../../config";
import { setupNeeded, signUp } from "../../services/users";
import { authedProcedure, publicProcedure, router } from "../init";

export const accountRouter = router({
  /** What the sign-in and sign-up pages need to know before anyone is signed in. */
  status: publicProcedure.query(async () => {
    const env = config();
    const needed = await setupNeeded();
    return {
      setupNeeded: needed,
      /** /setup then shows a field for the token Tally printed when it started. */
      setupTokenRequired: needed && accountPolicy().setupToken !== null,
      signup: env.TALLY_SIGNUP,
      sso: oidcEnabled(env) ? { name: env.OIDC_DISPLAY_NAME } : null,
    };
  }),
  signUp: publicProcedure.input(signUpInput).mutation(async ({ input }) => {
    const user = await signUp(accountPolicy(), input);
    return { id: user.id, email: user.email, isAdmin: user.isAdmin };
  }),
  me: authedProcedure.query(({ ctx }) => ({
    id: ctx.actor.userId,
    email: ctx.actor.email,
    isAdmin: ctx.actor.isAdmin,
  })),
});
