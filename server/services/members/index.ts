export { listMembers, addMember, changeMemberRole, removeMember, type MemberView } from "./members";
export {
  createInvite,
  listPendingInvites,
  revokeInvite,
  previewInvite,
  acceptInvite,
  acceptInviteInTx,
  findUsableInvite,
  type InviteView,
  type UsableInvite,
} from "./invites";
