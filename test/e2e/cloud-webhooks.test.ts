// Receiving webhooks safely: the documented example receiver (docs/examples/webhook-receiver.mjs)
// run against the fake HeyGen's real deliveries, and `framesmith webhooks verify` on saved ones,
// under both signature conventions and for unsigned callback_url deliveries.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudClient } from '../../src/cloud/client.js';
import { startFakeHeygen, type FakeHeygen } from '../fake-heygen/index.js';
import { zipFolder } from '../fake-heygen/make-zip.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'framesmith.js');
const RECEIVER = join(REPO, 'docs', 'examples', 'webhook-receiver.mjs');
const FIXTURE = join(REPO, 'test', 'unit', 'cloud', 'fixtures', 'project');
const KEY = 'sk_hooks_SECRET_KEY_5150';

let fake: FakeHeygen;
let data: string;
let cwd: string;

beforeAll(async () => {
  fake = await startFakeHeygen({ apiKeys: [KEY] });
  data = (await readFile(await zipFolder(FIXTURE))).toString('base64');
  cwd = await mkdtemp(join(tmpdir(), 'fs-hooks-'));
});
afterAll(() => fake.close());

const client = () => createCloudClient({ apiKey: KEY, baseUrl: fake.url });
const newRender = async (extra: Record<string, unknown> = {}) =>
  (await client().renders.create({ project: { type: 'base64', media_type: 'application/zip', data }, ...extra })).render_id;

function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH, NO_COLOR: '1', HEYGEN_API_URL: fake.url, HEYGEN_API_KEY: KEY, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('the example receiver from the docs', () => {
  let receiver: ChildProcess;
  let out = '';
  const waitFor = async (re: RegExp) => {
    for (let i = 0; i < 600 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 25));
    if (!re.test(out))
      console.log(
        `receiver output so far:\n${out}\ndeliveries: ${JSON.stringify(fake.state.deliveries.map((d) => [d.kind, d.url, d.result]))}`,
      );
    return out.match(re);
  };
  afterAll(() => receiver?.kill());

  it('acts on signed and confirmed deliveries only: replays, forgeries and unconfirmed claims are refused', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hooks/heygen`;
    const endpoint = await client().webhooks.createEndpoint({ url });
    receiver = spawn(process.execPath, [RECEIVER], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HEYGEN_API_URL: fake.url,
        HEYGEN_API_KEY: KEY,
        HEYGEN_WEBHOOK_SECRET: endpoint.secret!,
      },
    });
    receiver.stdout!.on('data', (c) => (out += c));
    receiver.stderr!.on('data', (c) => (out += c));
    expect(await waitFor(/listening on/)).not.toBeNull();

    // A render ends: the registered endpoint gets a signed delivery.
    const id = await newRender();
    fake.controls.advance(10);
    await fake.controls.flushWebhooks();
    expect(await waitFor(new RegExp(`render ${id} completed \\(signed, Heygen-Signature\\)`))).not.toBeNull();

    // Without the endpoint, a render's callback_url gets the unsigned delivery: confirmed with the API first.
    await client().webhooks.deleteEndpoint(endpoint.endpoint_id);
    const viaCallback = await newRender({ callback_url: `${url}?via=callback`, callback_id: 'job-7' });
    fake.controls.advance(10);
    await fake.controls.flushWebhooks();
    expect(await waitFor(new RegExp(`render ${viaCallback} completed \\(unsigned, confirmed with the API\\)`))).not.toBeNull();
    // The same delivery again changes nothing: each render is acted on once.
    const callback = fake.state.deliveries.find((d) => d.kind === 'callback' && d.body.includes(viaCallback))!;
    await fetch(callback.url, { method: 'POST', headers: callback.headers, body: callback.body });
    await new Promise((r) => setTimeout(r, 200));
    expect(out.match(new RegExp(`render ${viaCallback} completed`, 'g'))).toHaveLength(1);

    // A replay of the signed delivery: acknowledged, ignored.
    const signed = fake.state.deliveries.find((d) => d.kind === 'endpoint' && d.body.includes(id))!;
    const replay = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
    expect(replay.status).toBe(200);
    expect(await waitFor(/ignored a replay of evt_\w+/)).not.toBeNull();

    // A forged unsigned "success" for a render still queued: accepted for checking, then ignored.
    const queued = await newRender();
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event_type: 'hyperframes_video.success', event_data: { render_id: queued } }),
    });
    expect(forged.status).toBe(202);
    expect(await waitFor(new RegExp(`ignored an unconfirmed delivery: .*render ${queued} is queued`))).not.toBeNull();

    // A signed delivery whose body was changed on the way: 401.
    const tampered = await fetch(url, {
      method: 'POST',
      headers: { ...signed.headers, 'heygen-event-id': 'evt_new' },
      body: signed.body.replace('success', 'fail'),
    });
    expect(tampered.status).toBe(401);
    expect(await waitFor(/refused a delivery: The Heygen-Signature signature does not match/)).not.toBeNull();
    expect(out).not.toContain(KEY);
  });
});

describe('framesmith webhooks verify', () => {
  const secret = 'whsec_e2e_verify_secret';
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest('hex');

  it('reads the convention from a saved headers file and says which it found', async () => {
    const body = '{"event_type":"hyperframes_video.success","event_data":{"render_id":"hfr_1"}}';
    await writeFile(join(cwd, 'body.json'), body);
    const now = Math.floor(Date.now() / 1000);
    await writeFile(
      join(cwd, 'h1.txt'),
      `POST /hooks HTTP/1.1\nHeygen-Signature: ${sign(body)}\nHeygen-Timestamp: ${now}\nHeygen-Event-Id: evt_77\n`,
    );
    const a = await cli(['webhooks', 'verify', '--payload', 'body.json', '--headers', 'h1.txt', '--secret', secret]);
    expect(a.code).toBe(0);
    expect(a.stderr).toMatch(/Signature valid \(Heygen-Signature, timestamp within ±300 s, event evt_77\)/);
    await writeFile(join(cwd, 'h2.json'), JSON.stringify({ 'X-HeyGen-Signature': sign(body) }));
    const b = await cli(['webhooks', 'verify', '--payload', 'body.json', '--headers', 'h2.json', '--json'], {
      HEYGEN_WEBHOOK_SECRET: secret,
    });
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toEqual({ ok: true, convention: 'X-HeyGen-Signature', timestamp: null, eventId: null });
  });

  it('a valid signature outside the window, a replayed event id (--seen), a re-serialised body: refused, each said plainly', async () => {
    const body = '{"event_type":"hyperframes_video.fail","event_data":{"render_id":"hfr_2"}}';
    await writeFile(join(cwd, 'b2.json'), body);
    const now = Math.floor(Date.now() / 1000);
    const old = await cli([
      'webhooks',
      'verify',
      '--payload',
      'b2.json',
      '--signature',
      sign(body),
      '--timestamp',
      String(now - 900),
      '--secret',
      secret,
    ]);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/\[webhook_expired\]/);
    const args = [
      'webhooks',
      'verify',
      '--payload',
      'b2.json',
      '--signature',
      sign(body),
      '--timestamp',
      String(now),
      '--event-id',
      'evt_once',
      '--secret',
      secret,
      '--seen',
      'seen.txt',
    ];
    expect((await cli(args)).code).toBe(0);
    expect(await readFile(join(cwd, 'seen.txt'), 'utf8')).toBe('evt_once\n');
    const again = await cli(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Event evt_once was already received: a replayed delivery .*\[webhook_replayed\]/);
    await writeFile(join(cwd, 'pretty.json'), JSON.stringify(JSON.parse(body), null, 2));
    const pretty = await cli([
      'webhooks',
      'verify',
      '--payload',
      'pretty.json',
      '--signature',
      sign(body),
      '--timestamp',
      String(now),
      '--secret',
      secret,
    ]);
    expect(pretty.code).toBe(1);
    expect(pretty.stderr).toMatch(
      /matches this body only once it is re-serialised .* not the raw bytes received.*\[webhook_reserialised\]/,
    );
  });

  it('an unsigned delivery: said so, and checked against the render with the API instead of trusted', async () => {
    const id = await newRender();
    const body = JSON.stringify({ event_type: 'hyperframes_video.success', event_data: { render_id: id } });
    await writeFile(join(cwd, 'unsigned.json'), body);
    const early = await cli(['webhooks', 'verify', '--payload', 'unsigned.json']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(
      /Unsigned delivery \(a render's callback_url; HeyGen does not sign these\)\. The delivery claims hyperframes_video\.success .* but the API says render hfr_\w+ is queued/,
    );
    fake.controls.advance(10);
    const later = await cli(['webhooks', 'verify', '--payload', 'unsigned.json']);
    expect(later.code).toBe(0);
    expect(later.stderr).toMatch(/warning Unsigned delivery/);
    expect(later.stderr).toMatch(/Confirmed with the API: Render hfr_\w+ is completed according to the API/);
    const noKey = await cli(['webhooks', 'verify', '--payload', 'unsigned.json'], { HEYGEN_API_KEY: undefined });
    expect(noKey.code).toBe(3);
  });

  it('a signed delivery without a secret is refused by name', async () => {
    const r = await cli(['webhooks', 'verify', '--payload', 'body.json', '--signature', 'ab12', '--timestamp', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/The delivery is signed \(Heygen-Signature\), but no webhook secret was given/);
  });
});
