import { config } from "../config";

/** Where people reach this Tally: TALLY_URL when set, else the origin the request came to. */
export function publicOrigin(requestUrl: string): string {
  return (config().TALLY_URL ?? new URL(requestUrl).origin).replace(/\/$/, "");
}
