import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { badInput } from "@/lib/errors";

export interface VettedTarget {
  url: URL;
  /** The addresses the host resolved to, all allowed; the delivery connects only to these. */
  addresses: { address: string; family: 4 | 6 }[];
}

/** Addresses a webhook may not reach unless TALLY_WEBHOOK_ALLOW_PRIVATE is set. */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network", incl. the unspecified address
  ["10.0.0.0", 8], // RFC 1918
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata endpoints live here)
  ["172.16.0.0", 12], // RFC 1918
  ["192.168.0.0", 16], // RFC 1918
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fe80::", 10], // link-local
  ["fc00::", 7], // unique local
  ["ff00::", 8], // multicast
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv6");
}

/**
 * IPv6 forms that carry an IPv4 address a packet can end up at: IPv4-mapped (`::ffff:10.0.0.1`),
 * IPv4-compatible (`::10.0.0.1`), NAT64's well-known prefix (`64:ff9b::10.0.0.1`) and 6to4
 * (`2002:0a00:0001::`). The URL parser prints them all in hex groups.
 */
const EMBEDDED_IPV4 = [
  /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/,
  /^::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/,
  /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/,
  /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(?::|$)/,
];

/** The IPv4 address inside an IPv6 address of one of those forms, if it is one. */
function embeddedIpv4(address: string): string | undefined {
  const normalized = new URL(`http://[${address}]/`).hostname.slice(1, -1).toLowerCase();
  const match = EMBEDDED_IPV4.map((form) => form.exec(normalized)).find((found) => found !== null);
  if (!match) return undefined;
  const [high, low] = [parseInt(match[1]!, 16), parseInt(match[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) return BLOCKED.check(address, "ipv4");
  const ipv4 = embeddedIpv4(address);
  return (ipv4 !== undefined && BLOCKED.check(ipv4, "ipv4")) || BLOCKED.check(address, "ipv6");
}

/** Parses a webhook URL: http(s) only, no credentials in it. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput(`"${raw}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badInput("A webhook URL must start with http:// or https://");
  if (url.username || url.password) throw badInput("A webhook URL may not contain a user name or password");
  return url;
}

/**
 * Resolves the URL's host and refuses it (BAD_INPUT, saying why) when any address it resolves to is
 * on a loopback, private, link-local, unique-local, CGNAT, multicast or unspecified network, unless
 * `allowPrivate`. Checked when a webhook is saved and again before every delivery, which then
 * connects to the vetted addresses only, so a DNS answer that changes in between (rebinding)
 * cannot redirect it. A host that does not resolve throws a plain Error (the network may be down).
 */
export async function vetWebhookTarget(raw: string, allowPrivate: boolean): Promise<VettedTarget> {
  const url = parseWebhookUrl(raw);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const resolved = await lookup(host, { all: true, verbatim: true }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`The webhook's host ${host} could not be resolved (${error.code ?? error.message})`);
  });
  const addresses = resolved.map((entry) => ({ address: entry.address, family: entry.family === 6 ? (6 as const) : (4 as const) }));
  if (!allowPrivate) {
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused) {
      throw badInput(
        `The webhook URL's host ${host} resolves to ${refused.address}, a loopback, private or link-local address. ` +
          "Webhooks may only reach public addresses unless the administrator sets TALLY_WEBHOOK_ALLOW_PRIVATE=true.",
      );
    }
  }
  if (addresses.length === 0) throw new Error(`The webhook's host ${host} resolved to no address`);
  return { url, addresses };
}
