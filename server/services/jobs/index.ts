export { claimDue, lagSeconds, workerId, type ClaimOptions, type DueWork, type LeasedTable } from "./lease";
export { startBackgroundLoop, type BackgroundLoop } from "./loop";
