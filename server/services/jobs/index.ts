export { claimDue, claimInTransaction, workerId, type ClaimOptions, type LeasedTable } from "./lease";
export { startBackgroundLoop, type BackgroundLoop } from "./loop";
