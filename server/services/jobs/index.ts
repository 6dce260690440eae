export { claimDue, claimInTransaction, lagSeconds, workerId, type ClaimOptions, type DueWork, type LeasedTable } from "./lease";
export { startBackgroundLoop, type BackgroundLoop } from "./loop";
