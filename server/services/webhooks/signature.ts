import { createHmac } from "node:crypto";

/** `X-Tally-Signature`: `v1=` and the hex HMAC-SHA256 of `<timestamp>.<body>` under the webhook's secret. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}
