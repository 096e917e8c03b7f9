/**
 * Composition pages (snapshot, build check, render) reach nothing but their own server. One
 * composition per channel a page has tries to reach loopback listeners (TCP and UDP) that must
 * receive nothing, and each attempt must be reported in the result's `blocked` list; the build
 * lists them as warnings, the render in its --json warnings. HTTP(S) loads go to Node's remote
 * resolver (src/remote/page-routing.ts), which never fetches an address of this machine or its
 * network; anything that would send (POST, sendBeacon) is refused outright.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { takeSnapshots } from '../../src/snapshot/snapshot.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, vendorGsap } from '../helpers/fixtures.js';
import { loopbackListeners } from './helpers.js';

type Listeners = Awaited<ReturnType<typeof loopbackListeners>>;

// The listeners are on 127.0.0.1: no exception for the remote-file tests' stand-in CDNs here
// (test/global-setup.ts), so Node fetches nothing on the page's behalf either.
delete process.env.FRAMESMITH_REMOTE_ALLOW_HOSTS;

/**
 * Each channel: code that starts the attempt and returns a promise settled when it has failed,
 * and what the blocked list must show. `T` is the TCP port, `U` the UDP port.
 */
const CHANNELS: { name: string; code: string; reported: RegExp | null }[] = [
  { name: 'fetch', code: `fetch('http://127.0.0.1:T/fetch?k=1').catch(() => {})`, reported: /^http:\/\/127\.0\.0\.1:T\/fetch/ },
  { name: 'fetch by host name', code: `fetch('http://localhost:T/named').catch(() => {})`, reported: /^http:\/\/localhost:T\/named/ },
  {
    name: 'image',
    code: `new Promise((r) => { const i = new Image(); i.onload = i.onerror = r; i.src = 'http://127.0.0.1:T/img'; })`,
    reported: /\/img$/,
  },
  { name: 'sendBeacon', code: `Promise.resolve(navigator.sendBeacon('http://127.0.0.1:T/beacon', 'k'))`, reported: /\/beacon$/ },
  {
    name: 'EventSource',
    code: `new Promise((r) => { const e = new EventSource('http://127.0.0.1:T/events'); e.onerror = () => (e.close(), r()); })`,
    reported: /\/events$/,
  },
  {
    name: 'WebSocket',
    code: `new Promise((r) => { const w = new WebSocket('ws://127.0.0.1:T/ws'); w.onclose = w.onerror = r; })`,
    reported: /^ws:\/\/127\.0\.0\.1:T\/ws$/,
  },
  {
    name: 'WebSocket from an iframe',
    code: `new Promise((r) => { const f = document.createElement('iframe'); document.body.appendChild(f); const w = new f.contentWindow.WebSocket('ws://127.0.0.1:T/iframe-ws'); w.onclose = w.onerror = r; })`,
    reported: /iframe-ws$/,
  },
  {
    name: 'WebSocket from a worker',
    code: `new Promise((r) => { const src = "const w = new WebSocket('ws://127.0.0.1:T/worker-ws'); w.onclose = w.onerror = () => postMessage(1);"; const wk = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' }))); wk.onmessage = wk.onerror = r; })`,
    reported: /^tcp:\/\/127\.0\.0\.1:T$/,
  },
  {
    name: 'fetch from a worker',
    code: `new Promise((r) => { const src = "fetch('http://127.0.0.1:T/worker-fetch').catch(() => {}).then(() => postMessage(1));"; const wk = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' }))); wk.onmessage = wk.onerror = r; })`,
    reported: /worker-fetch$/,
  },
  {
    name: 'WebRTC (STUN over UDP)',
    code: `(async () => { const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:U' }] }); pc.createDataChannel('x'); await pc.setLocalDescription(await pc.createOffer()); await new Promise((r) => { pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); if (pc.iceGatheringState === 'complete') r(); }); })()`,
    reported: /^stun:127\.0\.0\.1:U$/,
  },
  {
    name: 'WebRTC (TURN over TCP)',
    code: `(async () => { const pc = new RTCPeerConnection({ iceServers: [{ urls: 'turn:127.0.0.1:T?transport=tcp', username: 'u', credential: 'p' }] }); pc.createDataChannel('x'); await pc.setLocalDescription(await pc.createOffer()); await new Promise((r) => { pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); if (pc.iceGatheringState === 'complete') r(); }); })()`,
    reported: /^turn:127\.0\.0\.1:T\?transport=tcp$/,
  },
  {
    name: 'WebTransport (QUIC over UDP)',
    code: `(async () => { try { const t = new WebTransport('https://127.0.0.1:U/wt'); await t.ready; } catch {} })()`,
    reported: /^webtransport:https:\/\/127\.0\.0\.1:U\/wt$/,
  },
  {
    name: 'iframe navigation',
    code: `new Promise((r) => { const f = document.createElement('iframe'); f.onload = r; f.src = 'http://127.0.0.1:T/frame'; document.body.appendChild(f); })`,
    reported: /\/frame$/,
  },
  {
    name: 'form submission',
    code: `new Promise((r) => { const f = document.createElement('iframe'); f.name = 'sink'; f.onload = r; document.body.appendChild(f); const form = document.createElement('form'); form.method = 'post'; form.action = 'http://127.0.0.1:T/form'; form.target = 'sink'; document.body.appendChild(form); form.submit(); })`,
    reported: /\/form$/,
  },
  { name: 'popup window', code: `Promise.resolve(window.open('http://127.0.0.1:T/popup'))`, reported: /popup|^tcp:\/\/127\.0\.0\.1:T$/ },
  {
    name: 'CSS url()',
    code: `new Promise((r) => { const d = document.createElement('div'); d.style.backgroundImage = 'url(http://127.0.0.1:T/css-bg)'; document.getElementById('root').appendChild(d); getComputedStyle(d).backgroundImage; setTimeout(r, 0); })`,
    reported: null,
  },
  {
    name: 'preconnect',
    code: `Promise.resolve(document.head.insertAdjacentHTML('beforeend', '<link rel="preconnect" href="http://127.0.0.1:T">'))`,
    reported: null,
  },
];

/** A composition that makes the attempt, then registers its timeline once the attempt has settled. */
function project(code: string, l: Listeners): string {
  const dir = join(tempDir(), 'net');
  mkdirSync(dir, { recursive: true });
  const attempt = code.replace(/:T\b/g, `:${l.tcpPort}`).replace(/:U\b/g, `:${l.udpPort}`);
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>
<html><head><meta charset="utf-8"><style>html,body{margin:0;background:#123}#root{position:relative;width:320px;height:180px;background:#456}</style></head>
<body>
<div id="root" data-composition-id="main" data-width="320" data-height="180" data-start="0" data-duration="1"><p style="color:#fff">net</p></div>
<script src="vendor/gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  tl.to('#root p', { x: 10, duration: 1 });
  Promise.allSettled([${attempt}]).then(() => { window.__timelines = window.__timelines || {}; window.__timelines.main = tl; });
</script>
</body></html>
`,
  );
  vendorGsap(dir);
  return dir;
}

describe('composition pages reach nothing but their own server', () => {
  let listeners: Listeners;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    listeners = await loopbackListeners();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await listeners?.close();
  });
  // Each test starts from silence, so a failure names its own channel.
  beforeEach(() => {
    listeners.heard.tcp.length = 0;
    listeners.heard.udp = 0;
  });

  test.each(CHANNELS.map((c) => [c.name, c] as const))('snapshot: %s reaches nothing and is reported', async (_name, channel) => {
    const dir = project(channel.code, listeners);
    const result = await takeSnapshots({ dir, times: [0.5], browser });
    expect(result.stills).toHaveLength(1);
    // The listeners hear nothing, not even a connection.
    expect(listeners.heard).toEqual({ tcp: [], udp: 0 });
    if (channel.reported) {
      const expected = new RegExp(
        channel.reported.source.replace(/:T\b/g, `:${listeners.tcpPort}`).replace(/:U\b/g, `:${listeners.udpPort}`),
      );
      expect(
        result.blocked.some((u) => expected.test(u)),
        JSON.stringify(result.blocked),
      ).toBe(true);
    }
  });

  test('build: every channel at once is blocked, listed in check.blocked and as warnings; the listeners hear nothing', async () => {
    // The composition registers its timeline once every attempt has settled. A popup opened while
    // the page's WebSockets are being closed can leave them without a close event (playwright's
    // WebSocket routing; they stay blocked), so the popup is tried alone, in the snapshot test above.
    const together = CHANNELS.filter((c) => c.name !== 'popup window');
    const dir = project(together.map((c) => c.code).join(',\n'), listeners);
    const r = await runCli(['build', dir, '--json'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { check: { blocked: string[] }; warnings: { message: string }[] };
    for (const c of together.filter((x) => x.reported)) {
      const expected = new RegExp(c.reported!.source.replace(/:T\b/g, `:${listeners.tcpPort}`).replace(/:U\b/g, `:${listeners.udpPort}`));
      expect(
        out.check.blocked.some((u) => expected.test(u)),
        `${c.name}: ${JSON.stringify(out.check.blocked)}`,
      ).toBe(true);
    }
    expect(out.warnings.some((w) => /tried a WebSocket to ws:/.test(w.message))).toBe(true);
    expect(out.warnings.some((w) => /tried a WebRTC connection \(stun:/.test(w.message))).toBe(true);
    // HTTP(S) loads of this machine's addresses: Node refused to fetch them for the page.
    expect(
      out.warnings.some(
        (w) =>
          w.message.includes(`http://127.0.0.1:${listeners.tcpPort}/fetch?k=1`) &&
          /address of this machine or a private network/.test(w.message),
      ),
    ).toBe(true);
    expect(out.warnings.some((w) => w.message.includes(`http://localhost:${listeners.tcpPort}/named`))).toBe(true);
    expect(listeners.heard).toEqual({ tcp: [], udp: 0 });
  }, 120_000);

  test('render: a WebSocket and WebRTC from the page are blocked and warned about; the listeners hear nothing', async () => {
    const dir = project(
      [CHANNELS.find((c) => c.name === 'WebSocket')!.code, CHANNELS.find((c) => c.name === 'WebRTC (STUN over UDP)')!.code].join(',\n'),
      listeners,
    );
    const out = join(tempDir(), 'net.mp4');
    const r = await runCli(['render', dir, '-o', out, '--fps', '10', '--json', '--no-thumbnail'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { warnings: { message: string }[] };
    const text = result.warnings.map((w) => w.message).join('\n');
    expect(text).toContain(`ws://127.0.0.1:${listeners.tcpPort}/ws`);
    expect(text).toContain(`stun:127.0.0.1:${listeners.udpPort}`);
    expect(listeners.heard).toEqual({ tcp: [], udp: 0 });
  }, 120_000);
});
