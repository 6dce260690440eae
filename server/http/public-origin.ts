import { config } from "../config";

/** Where people reach this Tally: TALLY_URL when set, else the origin the request came to. */
export function publicOrigin(request: Request): string {
  return (config().TALLY_URL ?? new URL(request.url).origin).replace(/\/$/, "");
}
