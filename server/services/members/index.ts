export { listMembers, addMember, changeMemberRole, removeMember, type ProjectMember } from "./members";
export {
  createInvite,
  listPendingInvites,
  revokeInvite,
  previewInvite,
  acceptInvite,
  type Invite,
} from "./invites";
