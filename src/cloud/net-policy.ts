/**
 * Where the cloud client may connect besides the API itself. Presigned links (render video,
 * thumbnail, upload URL) come from the server's answers, so they are checked before any byte is
 * sent: `https:` only (or `http:` to the API's own origin, for a local test server), and never an
 * address on this machine, the local network or the link-local range (cloud metadata services
 * live at 169.254.169.254) unless the API itself is on such an address. The address check runs
 * on every address the name resolves to, at connect time (a `lookup` hook), so a name that
 * resolves differently the second time cannot slip through.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

function ipv4Class(a: string): AddressClass {
  const p = a.split('.').map(Number);
  if (p[0] === 127) return 'loopback';
  if (
    p[0] === 10 ||
    (p[0] === 172 && p[1] >= 16 && p[1] <= 31) ||
    (p[0] === 192 && p[1] === 168) ||
    (p[0] === 100 && p[1] >= 64 && p[1] <= 127)
  )
    return 'private';
  if (p[0] === 169 && p[1] === 254) return 'link-local';
  if (p[0] === 0) return 'unspecified';
  if (p[0] >= 224 && p[0] <= 239) return 'multicast';
  if (p[0] >= 240) return 'reserved';
  return 'public';
}

/** Expands an IPv6 address to its eight 16-bit groups (null when it is not one). */
function ipv6Groups(a: string): number[] | null {
  let text = a
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .split('%')[0];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array(Math.max(0, fill)).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** The kind of network an IP address belongs to. */
export function classifyAddress(address: string): AddressClass {
  const kind = isIP(address.replace(/^\[|\]$/g, ''));
  if (kind === 4) return ipv4Class(address);
  const g = ipv6Groups(address);
  if (!g) return 'reserved';
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return ipv4Class(`${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`);
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  if ((g[0] & 0xfe00) === 0xfc00) return 'private';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

/** The classes an API host stands for: its literal address, `localhost`, or what it resolves to. */
export async function classesOfHost(hostname: string): Promise<Set<AddressClass>> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return new Set([classifyAddress(host)]);
  if (LOCAL_NAMES.has(host.toLowerCase()) || host.toLowerCase().endsWith('.localhost')) return new Set(['loopback']);
  const addresses = await new Promise<LookupAddress[]>((resolve) =>
    dnsLookup(host, { all: true }, (err, list) => resolve(err ? [] : list)),
  );
  return new Set(addresses.map((a) => classifyAddress(a.address)));
}

/** What a presigned link may point at, decided from the API's own address. */
export interface LinkPolicy {
  /** Origin of the configured API (`http://127.0.0.1:4010`). */
  apiOrigin: string;
  /** Address classes allowed besides `public` (the API's own, when it is loopback or private). */
  extraClasses: ReadonlySet<AddressClass>;
}

/** Builds the policy for an API base URL. Link-local, unspecified and multicast are never allowed. */
export async function linkPolicyFor(baseUrl: string): Promise<LinkPolicy> {
  const url = new URL(baseUrl);
  const classes = await classesOfHost(url.hostname);
  const extra = new Set([...classes].filter((c) => c === 'loopback' || c === 'private'));
  return { apiOrigin: url.origin, extraClasses: extra };
}

/** Why an address may not be connected to, or null when it may. */
export function refuseAddress(address: string, policy: LinkPolicy): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public' || policy.extraClasses.has(kind)) return null;
  const what: Record<AddressClass, string> = {
    public: '',
    loopback: 'an address on this machine',
    private: 'an address on the local network',
    'link-local': 'a link-local address (where cloud metadata services answer)',
    unspecified: 'an unspecified address',
    multicast: 'a multicast address',
    reserved: 'a reserved address',
  };
  return `${address} is ${what[kind]}`;
}

/** Why a link from the server may not be fetched (scheme, credentials, literal address), or null. */
export function refuseLink(raw: string, policy: LinkPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'it is not a URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && url.origin === policy.apiOrigin)) {
    return url.protocol === 'http:'
      ? 'it is plain http to another host than the API (only https links are followed)'
      : `its scheme is ${url.protocol} (only https links are followed)`;
  }
  if (url.username || url.password) return 'it carries a user name or password';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return refuseAddress(host, policy);
  if ((LOCAL_NAMES.has(host.toLowerCase()) || host.toLowerCase().endsWith('.localhost')) && !policy.extraClasses.has('loopback'))
    return `${host} is this machine`;
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) that resolves like the system does, then refuses the connection when
 * any address is not allowed (a name pointing at both a public and a private address is refused).
 */
export function guardedLookup(policy: LinkPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true } as never, (err: NodeJS.ErrnoException | null, list: LookupAddress[]) => {
      if (err) return callback(err, options.all ? [] : '');
      for (const a of list) {
        const why = refuseAddress(a.address, policy);
        if (why) {
          const e = Object.assign(new Error(`${hostname} resolves to ${why}`), {
            code: 'FRAMESMITH_REFUSED_ADDRESS',
          }) as NodeJS.ErrnoException;
          return callback(e, options.all ? [] : '');
        }
      }
      if (options.all) callback(null, list);
      else callback(null, list[0]?.address ?? '', list[0]?.family ?? 4);
    });
  };
}
