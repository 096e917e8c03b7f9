// Where presigned links may lead: address classes, the link checks, and the lookup hook that
// refuses a name resolving to this machine before any connection is made.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { classifyAddress, guardedLookup, linkPolicyFor, refuseLink } from '../../../src/cloud/net-policy.js';
import { send, TransportError } from '../../../src/cloud/transport.js';

describe('classifyAddress', () => {
  const cases: [string, string][] = [
    ['8.8.8.8', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'private'],
    ['fe80::1', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['2001:4860:4860::8888', 'public'],
  ];
  for (const [address, kind] of cases) it(`${address} is ${kind}`, () => expect(classifyAddress(address)).toBe(kind));
});

describe('refuseLink', () => {
  it('with the public API: https to public addresses only', async () => {
    const policy = await linkPolicyFor('https://api.heygen.com');
    expect(refuseLink('https://files.example.com/v.mp4', policy)).toBeNull();
    expect(refuseLink('file:///etc/passwd', policy)).toMatch(/scheme is file:/);
    expect(refuseLink('http://files.example.com/v.mp4', policy)).toMatch(/plain http/);
    expect(refuseLink('https://169.254.169.254/latest/meta-data/', policy)).toMatch(/link-local/);
    expect(refuseLink('https://127.0.0.1:8443/v.mp4', policy)).toMatch(/this machine/);
    expect(refuseLink('https://[::1]/v.mp4', policy)).toMatch(/this machine/);
    expect(refuseLink('https://10.0.0.5/v.mp4', policy)).toMatch(/local network/);
    expect(refuseLink('https://localhost/v.mp4', policy)).toMatch(/this machine/);
    expect(refuseLink('https://user:pw@files.example.com/v.mp4', policy)).toMatch(/user name or password/);
    expect(refuseLink('not a url', policy)).toMatch(/not a URL/);
  });

  it('with a local API (the test server): its own http origin and loopback are allowed, link-local and other networks still not', async () => {
    const policy = await linkPolicyFor('http://127.0.0.1:4010');
    expect(refuseLink('http://127.0.0.1:4010/_storage/x', policy)).toBeNull();
    expect(refuseLink('http://127.0.0.1:4011/x', policy)).toMatch(/plain http to another host/);
    expect(refuseLink('https://127.0.0.1:4011/x', policy)).toBeNull();
    expect(refuseLink('https://169.254.169.254/x', policy)).toMatch(/link-local/);
    expect(refuseLink('https://192.168.0.10/x', policy)).toMatch(/local network/);
  });
});

describe('guardedLookup', () => {
  it('refuses a name that resolves to this machine before connecting, when the API is public', async () => {
    let connections = 0;
    const server = createServer((_q, s) => s.end('x'));
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const policy = await linkPolicyFor('https://api.heygen.com');
      const e = await send({
        method: 'GET',
        url: new URL(`https://localhost:${(server.address() as AddressInfo).port}/v.mp4`),
        policy,
      }).catch((x) => x);
      expect(e).toBeInstanceOf(TransportError);
      expect(e.kind).toBe('refused');
      expect(e.message).toMatch(/localhost resolves to 127\.0\.0\.1 is an address on this machine|resolves to ::1/);
      expect(connections).toBe(0);
      const literal = await send({
        method: 'GET',
        url: new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/v.mp4`),
        policy,
      }).catch((x) => x);
      expect(literal.kind).toBe('refused');
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('answers both lookup shapes Node uses (all: true, and a single address)', async () => {
    const policy = await linkPolicyFor('http://127.0.0.1:1');
    const lookup = guardedLookup(policy);
    const all = await new Promise((r) => lookup('localhost', { all: true }, (e, a) => r(e ?? a)));
    expect(Array.isArray(all)).toBe(true);
    const one = await new Promise((r) => lookup('localhost', {}, (e, a) => r(e ?? a)));
    expect(typeof one).toBe('string');
  });
});
