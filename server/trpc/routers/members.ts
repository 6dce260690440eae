import { addMemberInput, changeRoleInput, removeMemberInput } from "@/lib/schemas/projects";
import { addMember, changeMemberRole, listMembers, removeMember } from "../../services/members";
import { projectProcedure, router } from "../init";

export const membersRouter = router({
  list: projectProcedure("project:read").query(({ ctx }) => listMembers(ctx.access)),
  add: projectProcedure("members:manage")
    .input(addMemberInput)
    .mutation(({ ctx, input }) => addMember(ctx.access, input.email, input.role)),
  changeRole: projectProcedure("members:manage")
    .input(changeRoleInput)
    .mutation(({ ctx, input }) => changeMemberRole(ctx.access, input.userId, input.role)),
  // Scope is checked in the service: owners remove anyone, members may remove themselves.
  remove: projectProcedure("project:read")
    .input(removeMemberInput)
    .mutation(({ ctx, input }) => removeMember(ctx.access, input.userId)),
});
