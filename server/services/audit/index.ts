export { recordAudit, type AnonymousActor, type AuditActor, type AuditEntry, type AuditResourceType } from "./record";
export { listAuditEvents, type AuditEvent } from "./list";
export { recordAnonymousEvent } from "./anonymous";
export type { AnonymousAuditAction, AuditAction } from "@/lib/audit-actions";
