export { listMembers, addMember, changeMemberRole, removeMember, type MemberView } from "./members";
export {
  createInvite,
  listPendingInvites,
  revokeInvite,
  previewInvite,
  acceptInvite,
  type InviteView,
} from "./invites";
