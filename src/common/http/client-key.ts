import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';

/** API.md "IP throttling": an IPv6 client is its /IP_V6_PREFIX network unless configured. */
export const DEFAULT_IP_V6_PREFIX = 64;

// Longer than any address text (an IPv6 address with a zone id included): not worth parsing.
const MAX_ADDRESS_LENGTH = 100;
const UNKNOWN_CLIENT = 'unknown';

// Kept on the request itself (not in a WeakMap: a per-request WeakMap entry is an ephemeron the
// garbage collector must trace specially, measurable in a flood).
const CLIENT_KEY = Symbol('codeward.clientKey');
type KeyedRequest = FastifyRequest & { [CLIENT_KEY]?: string };

/**
 * The one client key for an address, or null when the text is not an IP address: an IPv4
 * address (also when written IPv4-mapped, `::ffff:198.51.100.7`) is its dotted quad; an IPv6
 * address is its /v6Prefix network in canonical (RFC 5952) text, e.g. `2001:db8:0:1::/64`.
 * Every place that counts or shows a client (throttler, blocked-IP memory, ip_rate_limits,
 * admin-auth failures, audit rows, admin blocks and unlock) uses this key.
 */
export function clientKey(address: string | null | undefined, v6Prefix: number): string | null {
  if (typeof address !== 'string' || address.length > MAX_ADDRESS_LENGTH) return null;
  const family = isIP(address);
  if (family === 0) return null;
  // node:net accepts only dotted-decimal IPv4 without leading zeros: already canonical.
  if (family === 4) return address;
  const v6 = ipaddr.IPv6.parse(address);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const bytes = v6.toByteArray();
  for (let bit = v6Prefix; bit < 128; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  return `${new ipaddr.IPv6(bytes).toString()}/${v6Prefix}`;
}

/**
 * What an admin may type to name a client: any address of it, or its network text (`/32` for
 * IPv4, `/v6Prefix` for IPv6). Null when it names no client (not an address, another prefix).
 */
export function clientKeyFromInput(input: string, v6Prefix: number): string | null {
  const text = input.trim();
  const slash = text.indexOf('/');
  if (slash < 0) return clientKey(text, v6Prefix);
  const [address, bits] = [text.slice(0, slash), text.slice(slash + 1)];
  const key = clientKey(address, v6Prefix);
  if (key === null || !/^\d{1,3}$/.test(bits)) return null;
  // An IPv4 client is one address: /32, or /128 when written IPv4-mapped.
  const ipv4Client = !key.includes('/');
  const expected = ipv4Client ? (isIP(address) === 4 ? 32 : 128) : v6Prefix;
  return Number(bits) === expected ? key : null;
}

/**
 * The client of a request. The address chain Fastify trusts under TRUST_PROXY runs from the
 * socket outward; a forwarded value that is not an IP address is not a client: the client is
 * then the last valid address before it (with one forwarded value, the socket address).
 */
function resolve(req: FastifyRequest, v6Prefix: number): string {
  const chain: (string | undefined)[] = Array.isArray(req.ips) ? req.ips : [req.ip];
  let key: string | null = null;
  for (const address of chain) {
    const k = clientKey(address, v6Prefix);
    if (k === null) break;
    key = k;
  }
  return key ?? clientKey(req.raw.socket?.remoteAddress, v6Prefix) ?? UNKNOWN_CLIENT;
}

/** Works out the request's client key with the configured prefix, once (the onRequest hook). */
export function bindClientKey(req: FastifyRequest, v6Prefix: number): string {
  const keyed = req as KeyedRequest;
  return (keyed[CLIENT_KEY] ??= resolve(req, v6Prefix));
}

/**
 * The request's client key as bound by the app's onRequest hook (configureApp); a request that
 * did not pass through it (no such route exists in the app) gets the contract's default prefix.
 */
export function clientKeyOf(req: FastifyRequest): string {
  return (req as KeyedRequest)[CLIENT_KEY] ?? bindClientKey(req, DEFAULT_IP_V6_PREFIX);
}
