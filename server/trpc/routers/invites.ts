import { createInviteInput, inviteRef, inviteTokenInput } from "@/lib/schemas/projects";
import { acceptInvite, createInvite, listPendingInvites, previewInvite, revokeInvite } from "../../services/members";
import { authedProcedure, projectProcedure, publicProcedure, router } from "../init";

export const invitesRouter = router({
  list: projectProcedure().query(({ ctx }) => listPendingInvites(ctx.access)),
  create: projectProcedure()
    .input(createInviteInput)
    .mutation(({ ctx, input }) => createInvite(ctx.access, input)),
  revoke: projectProcedure()
    .input(inviteRef)
    .mutation(({ ctx, input }) => revokeInvite(ctx.access, input.inviteId)),
  /** Anyone holding the link may see which project and role it offers. */
  preview: publicProcedure.input(inviteTokenInput).query(async ({ input }) => {
    const invite = await previewInvite(input.token);
    return invite
      ? {
          projectName: invite.project.name,
          projectSlug: invite.project.slug,
          role: invite.role,
          email: invite.email,
          expiresAt: invite.expiresAt,
        }
      : null;
  }),
  accept: authedProcedure.input(inviteTokenInput).mutation(({ ctx, input }) => acceptInvite(ctx.actor, input.token)),
});
