export { claimDue, workerId, type ClaimOptions, type LeasedTable } from "./lease";
export { startBackgroundLoop, type BackgroundLoop } from "./loop";
