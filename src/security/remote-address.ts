/**
 * Remote files a composition names are fetched by Node (src/remote/resolver.ts), on behalf of a
 * page that itself reaches nothing. Node must not become the page's way onto this machine or its
 * network: a URL whose host is, or resolves to, a loopback, private, link-local (cloud metadata at
 * 169.254.169.254), shared, multicast or unspecified address is refused before any connection,
 * at every redirect. The cloud could not fetch such an address either (it is not the user's
 * machine), so nothing a composition may legitimately use is lost.
 *
 * `FRAMESMITH_REMOTE_ALLOW_HOSTS` (comma-separated `host` or `host:port`) lets a mirror on the
 * user's network through. The npm registry is the user's own setting and is not judged here.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { FramesmithError } from '../core/errors.js';

// Two lists: a BlockList judges an IPv4 address against its IPv6 rules too (as ::ffff:a.b.c.d).
const LOCAL_V4 = new BlockList();
const LOCAL_V6 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (carrier NAT)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local: cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  LOCAL_V4.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96], // IPv4-mapped: judged as IPv4 below, refused here in any other spelling
  ['64:ff9b:1::', 48], // local-use NAT64
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  LOCAL_V6.addSubnet(net, bits, 'ipv6');
}

/** Whether `ip` (a literal IPv4 or IPv6 address) belongs to this machine or a private network. */
export function isLocalAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return LOCAL_V4.check(ip, 'ipv4');
  if (family === 6) return LOCAL_V6.check(ip, 'ipv6');
  return false;
}

function allowedHosts(env: NodeJS.ProcessEnv): string[] {
  return (env.FRAMESMITH_REMOTE_ALLOW_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

function refusal(url: URL, address: string): FramesmithError {
  const shown = address === url.hostname.replace(/^\[|\]$/g, '') ? address : `${url.hostname} (${address})`;
  return new FramesmithError(
    'remote_local_address',
    `${url.href} could not be fetched: ${shown} is an address of this machine or a private network, which framesmith never fetches for a composition (the cloud cannot reach it either).`,
    { hint: 'Put the file into the project; for a mirror on your own network, list its host in FRAMESMITH_REMOTE_ALLOW_HOSTS.' },
  );
}

/**
 * Throws `remote_local_address` when `url` would reach this machine or a private network: by its
 * literal address, by a `localhost` name, or by what its host name resolves to now. A name that
 * does not resolve is left to the fetch (which then fails as unreachable).
 */
export async function refuseLocalAddress(url: URL, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allowed = allowedHosts(env);
  if (allowed.includes(host) || allowed.includes(url.host.toLowerCase())) return;
  if (isIP(host)) {
    if (isLocalAddress(host)) throw refusal(url, host);
    return;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) throw refusal(url, host);
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return;
  }
  const local = addresses.find((a) => isLocalAddress(a.address));
  if (local) throw refusal(url, local.address);
}
