import { BlockList, isIP } from "node:net";
import { config } from "../config";
import type { HeaderLookup } from "./api-call";

/**
 * Tally's own HTTP server (server/runtime/http-server.ts) writes the TCP peer's address into this
 * header on every request, replacing whatever a client sent under that name. It is the only
 * address Tally takes on trust: `X-Forwarded-For` is written by clients as they like, and only a hop
 * added by a proxy listed in TALLY_TRUSTED_PROXIES is believed.
 */
export const PEER_ADDRESS_HEADER = "x-tally-peer-address";

type HeaderSource = HeaderLookup | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === "function") return (headers as HeaderLookup).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) is the IPv4 address. */
function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split("/");
    const family = isIP(address!) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(bits), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The address of the client behind this request: the TCP peer, or, when the peer is a trusted proxy,
 * the nearest `X-Forwarded-For` hop that is not itself a trusted proxy. Undefined when the request
 * did not come through Tally's server (tests calling handlers directly).
 */
export function clientAddress(headers: HeaderSource, trustedProxies: BlockList): string | undefined {
  const peer = header(headers, PEER_ADDRESS_HEADER);
  if (!peer) return undefined;
  let address = normalize(peer);
  const hops = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map(normalize)
    .filter((hop) => isIP(hop) !== 0);
  // Walk from the nearest hop outwards while the hop we are at is a proxy we trust.
  while (isTrusted(trustedProxies, address) && hops.length > 0) address = hops.pop()!;
  return address;
}

let trusted: BlockList | undefined;

/** The client address of a request to this server, with the configured TALLY_TRUSTED_PROXIES. */
export function requestClientAddress(headers: HeaderSource): string | undefined {
  trusted ??= trustedProxyList(config().TALLY_TRUSTED_PROXIES);
  return clientAddress(headers, trusted);
}
