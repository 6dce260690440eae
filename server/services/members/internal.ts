/**
 * Invite steps that run inside another service's transaction (sign-up accepts an invite while it
 * creates the user): the invite token is the authority, so only services may call them.
 */
export { acceptInviteInTx, findUsableInvite, type UsableInvite } from "./invites";
