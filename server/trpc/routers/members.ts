import { addMemberInput, changeRoleInput, removeMemberInput } from "@/lib/schemas/projects";
import { addMember, changeMemberRole, listMembers, removeMember } from "../../services/members";
import { projectProcedure, router } from "../init";

export const membersRouter = router({
  list: projectProcedure().query(({ ctx }) => listMembers(ctx.access)),
  add: projectProcedure()
    .input(addMemberInput)
    .mutation(({ ctx, input }) => addMember(ctx.access, input.email, input.role)),
  changeRole: projectProcedure()
    .input(changeRoleInput)
    .mutation(({ ctx, input }) => changeMemberRole(ctx.access, input.userId, input.role)),
  // Owners remove anyone; every member may remove themselves (decided in removeMember).
  remove: projectProcedure()
    .input(removeMemberInput)
    .mutation(({ ctx, input }) => removeMember(ctx.access, input.userId)),
});
