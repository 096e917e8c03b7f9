/**
 * Node fetches a composition's remote files for its page (src/remote/resolver.ts); it must never
 * fetch an address of this machine or a private network for it, not even after a redirect, or
 * through the dev server's remote endpoint. Loopback listeners must hear nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DevServer } from '../../src/dev/index.js';
import { ContentCache } from '../../src/remote/content-cache.js';
import { RemoteResolver } from '../../src/remote/resolver.js';
import { isLocalAddress, refuseLocalAddress } from '../../src/security/remote-address.js';
import { tempDir, useFixture } from '../helpers/fixtures.js';
import { startDev } from '../e2e/dev-helpers.js';
import { loopbackListeners, rawRequest } from './helpers.js';

// No exception for the remote-file tests' stand-in CDNs on 127.0.0.1 (test/global-setup.ts).
delete process.env.FRAMESMITH_REMOTE_ALLOW_HOSTS;

type Listeners = Awaited<ReturnType<typeof loopbackListeners>>;

describe('which addresses are local', () => {
  test.each([
    '127.0.0.1',
    '127.8.9.10',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.20',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.251',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc00::5',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
  ])('%s is local', (ip) => {
    expect(isLocalAddress(ip)).toBe(true);
  });
  test.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::6810:84e5'])('%s is not', (ip) => {
    expect(isLocalAddress(ip)).toBe(false);
  });

  test.each([
    ['http://127.0.0.1:9/x', '127.0.0.1'],
    ['http://[::1]:9/x', '::1'],
    ['http://[::ffff:127.0.0.1]/x', '::ffff:7f00:1'],
    ['http://localhost:9/x', 'localhost'],
    ['http://app.localhost/x', 'app.localhost'],
    ['http://printer.local/x', 'printer.local'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://2130706433/x', '127.0.0.1'],
    ['http://0x7f.1/x', '127.0.0.1'],
  ])('%s is refused before any connection', async (url, shown) => {
    const error = await refuseLocalAddress(new URL(url), {}).then(
      () => null,
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
    expect(error?.code).toBe('remote_local_address');
    expect(error?.message).toContain(shown);
    expect(error?.message).toContain('address of this machine or a private network');
    expect(error?.hint).toContain('FRAMESMITH_REMOTE_ALLOW_HOSTS');
  });

  test('a public address passes; a listed host (or host:port) passes although local', async () => {
    await expect(refuseLocalAddress(new URL('https://93.184.216.34/gsap.js'), {})).resolves.toBeUndefined();
    await expect(
      refuseLocalAddress(new URL('http://127.0.0.1:8080/x'), { FRAMESMITH_REMOTE_ALLOW_HOSTS: '127.0.0.1:8080' }),
    ).resolves.toBeUndefined();
    await expect(
      refuseLocalAddress(new URL('http://127.0.0.1:8081/x'), { FRAMESMITH_REMOTE_ALLOW_HOSTS: '127.0.0.1:8080' }),
    ).rejects.toMatchObject({ code: 'remote_local_address' });
    await expect(
      refuseLocalAddress(new URL('http://mirror.lan/x'), { FRAMESMITH_REMOTE_ALLOW_HOSTS: ' Mirror.LAN , other' }),
    ).resolves.toBeUndefined();
  });
});

describe('the remote resolver and the dev endpoint fetch nothing local', () => {
  let listeners: Listeners;
  let cdn: Server;
  let cdnHost: string;
  beforeAll(async () => {
    listeners = await loopbackListeners();
    // A CDN on this machine the user allowed, which redirects to another local port.
    cdn = createServer((req, res) => {
      if (req.url === '/ok.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end('window.ok = 1;');
      res.writeHead(302, { location: `http://127.0.0.1:${listeners.tcpPort}/after-redirect` }).end();
    });
    await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
    cdnHost = `127.0.0.1:${(cdn.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => cdn?.close(r));
    await listeners?.close();
  });

  const resolver = () => new RemoteResolver({ cache: new ContentCache({ dir: tempDir() }), offline: false });

  test('a local URL is refused and nothing connects', async () => {
    listeners.heard.tcp.length = 0;
    for (const url of [
      `http://127.0.0.1:${listeners.tcpPort}/k?secret=1`,
      `http://localhost:${listeners.tcpPort}/named`,
      `http://[::ffff:127.0.0.1]:${listeners.tcpPort}/mapped`,
    ]) {
      await expect(resolver().get(url, 'script')).rejects.toMatchObject({
        code: 'remote_unavailable',
        message: expect.stringContaining('address of this machine or a private network'),
      });
    }
    expect(listeners.heard.tcp).toEqual([]);
  });

  test('an allowed local mirror is fetched, but its redirect to another local port is refused', async () => {
    listeners.heard.tcp.length = 0;
    process.env.FRAMESMITH_REMOTE_ALLOW_HOSTS = cdnHost;
    try {
      const ok = await resolver().get(`http://${cdnHost}/ok.js`, 'script');
      expect(ok.bytes.toString()).toBe('window.ok = 1;');
      const error = await resolver()
        .get(`http://${cdnHost}/moved.js`, 'script')
        .then(
          () => null,
          (e: unknown) => e as { code: string; message: string },
        );
      expect(error?.code).toBe('remote_unavailable');
      expect(error?.message).toContain(
        `http://127.0.0.1:${listeners.tcpPort}/after-redirect could not be fetched: 127.0.0.1 is an address of this machine or a private network`,
      );
    } finally {
      delete process.env.FRAMESMITH_REMOTE_ALLOW_HOSTS;
    }
    expect(listeners.heard.tcp).toEqual([]);
  });

  describe('framesmith dev', () => {
    let server: DevServer;
    beforeAll(async () => {
      server = await startDev(useFixture('dev-basic'));
    });
    afterAll(async () => {
      await server?.close();
    });

    test("the preview's remote endpoint does not fetch this machine's addresses for the page", async () => {
      listeners.heard.tcp.length = 0;
      for (const path of [
        `/__framesmith/remote/http/127.0.0.1:${listeners.tcpPort}/dev?k=1`,
        `/__framesmith/remote/http/localhost:${listeners.tcpPort}/dev-named`,
        '/__framesmith/remote/http/169.254.169.254/latest/meta-data/',
      ]) {
        const r = await rawRequest(server.origin, path, { headers: { 'sec-fetch-site': 'same-origin' } });
        expect(r.status, path).not.toBe(200);
      }
      expect(listeners.heard.tcp).toEqual([]);
    });
  });
});
