export { recordAudit, type AuditEntry, type AuditResourceType } from "./record";
export { listAuditEvents, type AuditEventView } from "./list";
