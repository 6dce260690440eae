export type { Actor, UserActor, TokenActor, SystemActor } from "./actor";
export { actorLabel } from "./actor";
export { resolveProjectAccess, assertScope, type ProjectAccess } from "./project-access";
