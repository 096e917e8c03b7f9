// The real CLI (`node bin/framesmith.js`) against the fake HeyGen server: `renders` and `webhooks`
// commands, every error switch with its message and exit code, and the API key in no output.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCloudClient } from '../../src/cloud/client.js';
import { runCloudRender } from '../../src/cloud/run-cloud-render.js';
import { startFakeHeygen, type FakeHeygen, type Fault } from '../fake-heygen/index.js';
import { zipFolder } from '../fake-heygen/make-zip.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'framesmith.js');
const FIXTURE = join(import.meta.dirname, '..', 'unit', 'cloud', 'fixtures', 'project');
const KEY = 'sk_e2e_TOP_SECRET_KEY_4242';

let fake: FakeHeygen;
let zip: string;
let cwd: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI asynchronously (the fake server lives in this process and must keep answering). */
function cli(args: string[], env: Record<string, string | undefined> = {}, dir = cwd): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', HEYGEN_API_URL: fake.url, HEYGEN_API_KEY: KEY, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function expectNoKey(r: Run, key = KEY) {
  expect(r.stdout).not.toContain(key);
  expect(r.stderr).not.toContain(key);
}

const client = () => createCloudClient({ apiKey: KEY, baseUrl: fake.url });
const submit = async () => (await runCloudRender({ zip, cwd, client: client(), wait: false })).renders[0].renderId;

beforeAll(async () => {
  fake = await startFakeHeygen({ apiKeys: [KEY] });
  zip = await zipFolder(FIXTURE);
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.controls.clearFaults();
  cwd = await mkdtemp(join(tmpdir(), 'fs-cloud-e2e-'));
});

describe('renders', () => {
  it('--no-wait, then `renders get --download` waits and writes renders/<id>.mp4', async () => {
    const id = await submit();
    const r = await cli(['renders', 'get', id, '--download', '--poll-interval', '1']);
    expect(r.code).toBe(0);
    const video = join(cwd, 'renders', `${id}.mp4`);
    expect(r.stdout.trim()).toBe(video);
    expect((await readFile(video)).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(existsSync(join(cwd, 'renders', `${id}.png`))).toBe(true);
    expect(r.stderr).toMatch(/queued|rendering/);
    expectNoKey(r);
  });

  /** A render that is already completed, so `get --download` goes straight to the storage. */
  const finished = async () => {
    const id = await submit();
    fake.controls.advance(10);
    return id;
  };
  const filesIn = (dir: string) => (existsSync(dir) ? readdir(dir) : Promise.resolve([]));

  it('a download cut off mid-body is started again and ends complete', async () => {
    const id = await finished();
    fake.controls.inject({ route: 'storage.get', kind: 'truncate' });
    const downloads = fake.controls.requests('storage.get').length;
    const r = await cli(['renders', 'get', id, '--download']);
    expect(r.stderr).not.toMatch(/^error /m);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`${id}\\.mp4: the download was cut off \\(it stopped at \\d+ of \\d+ bytes\\); starting again`));
    expect(fake.controls.requests('storage.get').length - downloads).toBe(3); // cut video, whole video, thumbnail
    const video = join(cwd, 'renders', `${id}.mp4`);
    const served = await (await fetch((await client().renders.get(id)).video_url!)).arrayBuffer();
    expect((await readFile(video)).equals(Buffer.from(served))).toBe(true);
    expect((await filesIn(join(cwd, 'renders'))).sort()).toEqual([`${id}.mp4`, `${id}.png`]);
  });

  it('a download cut off every time: exit 6 naming the render and the command to retry, no file left', async () => {
    const id = await finished();
    fake.controls.inject({ route: 'storage.get', kind: 'truncate', times: 10 });
    const r = await cli(['renders', 'get', id, '--download']);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(
      new RegExp(`The download of render ${id} was cut off 3 times \\(last time it stopped at \\d+ of \\d+ bytes\\)`),
    );
    expect(r.stderr).toContain(`framesmith renders get ${id} --download`);
    expect(r.stdout).toBe('');
    expect(await filesIn(join(cwd, 'renders'))).toEqual([]);
  });

  it('an expired download link: the render is fetched again for fresh links, and the download succeeds', async () => {
    const id = await finished();
    fake.controls.inject({ route: 'storage.get', kind: 'expired' });
    const gets = fake.controls.requests('renders.get').length;
    const r = await cli(['renders', 'get', id, '--download']);
    expect(r.stderr).not.toMatch(/^error /m);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`The download link of render ${id} expired (403); fetching fresh links`);
    expect(fake.controls.requests('renders.get').length - gets).toBe(2); // the first look, then the refresh
    expect((await readFile(join(cwd, 'renders', `${id}.mp4`))).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect((await filesIn(join(cwd, 'renders'))).sort()).toEqual([`${id}.mp4`, `${id}.png`]);
  });

  it('fresh links refused too: one refresh only, then an error naming the render and how to retry', async () => {
    const id = await finished();
    fake.controls.inject({ route: 'storage.get', kind: 'expired', times: 5 });
    const r = await cli(['renders', 'get', id, '--download']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The storage refused the fresh download link of render ${id} too (it answered 403)`);
    expect(r.stderr).toContain(`framesmith renders get ${id} --download`);
    expect(
      fake.controls
        .requests('storage.get')
        .slice(-2)
        .map((q) => q.status),
    ).toEqual([403, 403]);
    expect(await filesIn(join(cwd, 'renders'))).toEqual([]);
  });

  it('get prints the detail, --json the object; -o without --download is refused', async () => {
    const id = await submit();
    const text = await cli(['renders', 'get', id]);
    expect(text.stdout).toMatch(new RegExp(`render\\s+${id}[\\s\\S]*status\\s+queued`));
    const json = await cli(['renders', 'get', id, '--json']);
    expect(JSON.parse(json.stdout).render).toMatchObject({ render_id: id, format: 'mp4' });
    const bad = await cli(['renders', 'get', id, '-o', 'x.mp4']);
    expect(bad.code).toBe(2);
  });

  it('a failed render: get --download exits 7 with the failure message', async () => {
    fake.controls.failNext('Composition threw: TypeError x is undefined');
    const id = await submit();
    const r = await cli(['renders', 'get', id, '--download', '--poll-interval', '1']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('Composition threw: TypeError x is undefined');
  });

  it('list follows next_token with --all; default shows 10 and says more exist', async () => {
    const local = await startFakeHeygen({ apiKeys: [KEY], concurrencyLimit: 100 });
    try {
      const c = createCloudClient({ apiKey: KEY, baseUrl: local.url });
      const project = { type: 'base64' as const, media_type: 'application/zip' as const, data: (await readFile(zip)).toString('base64') };
      for (let i = 0; i < 12; i++) await c.renders.create({ project, title: `r${i}` });
      const page = await cli(['renders', 'list'], { HEYGEN_API_URL: local.url });
      expect(page.stdout.trim().split('\n')).toHaveLength(12); // header + rule + 10
      expect(page.stdout).toMatch(/r11[\s\S]*r2\n/);
      expect(page.stderr).toMatch(/More renders exist/);
      const all = JSON.parse((await cli(['renders', 'list', '--all', '--limit', '5', '--json'], { HEYGEN_API_URL: local.url })).stdout);
      expect(all.renders.map((r: { title: string }) => r.title)).toEqual(Array.from({ length: 12 }, (_, i) => `r${11 - i}`));
      expect(local.controls.requests('renders.list').filter((r) => r.status === 200).length).toBe(1 + 3);
      expect((await cli(['renders', 'list', '--limit', '0'], { HEYGEN_API_URL: local.url })).code).toBe(2);
    } finally {
      await local.close();
    }
  });

  it('delete, then get answers exit 4 naming the id', async () => {
    const id = await submit();
    const del = await cli(['renders', 'delete', id]);
    expect(del.code).toBe(0);
    const r = await cli(['renders', 'get', id]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`No render "${id}"`);
  });

  it('Ctrl+C while waiting exits 130 and says how to resume', async () => {
    const id = await submit();
    const child = spawn(process.execPath, [BIN, 'renders', 'get', id, '--download', '--poll-interval', '30'], {
      cwd,
      env: { PATH: process.env.PATH, NO_COLOR: '1', HEYGEN_API_URL: fake.url, HEYGEN_API_KEY: KEY },
    });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
      if (/ (queued|rendering) · /.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain(`Stopped waiting for render ${id}`);
    expect(stderr).toContain(`framesmith renders get ${id} --download`);
  });

  it('`renders get --help` shows the subcommand help', async () => {
    const r = await cli(['renders', 'get', '--help']);
    expect(r.stdout).toMatch(/^Usage: framesmith renders get <id> \[options\]/);
    expect(r.stdout).toMatch(/--download/);
  });
});

describe('errors through the CLI', () => {
  const cases: [string, Fault, number, RegExp][] = [
    [
      '400 names the param',
      { route: 'renders.list', kind: 'status', status: 400, param: 'limit', message: 'limit is wrong' },
      2,
      /rejected the parameter "limit"/,
    ],
    ['402 no credits', { route: 'renders.list', kind: 'status', status: 402 }, 5, /no credits/],
    ['413 too large', { route: 'renders.list', kind: 'status', status: 413 }, 2, /too large/],
    [
      '429 after retries',
      { route: 'renders.list', kind: 'status', status: 429, retryAfter: 0, times: 20 },
      6,
      /too many requests.*after 5 attempts/,
    ],
    ['5xx after retries', { route: 'renders.list', kind: 'status', status: 503, times: 20 }, 6, /answered 503.*after 5 attempts/],
    ['dropped connections', { route: 'renders.list', kind: 'drop', times: 20 }, 6, /Could not reach HeyGen.*connection failed/],
  ];
  for (const [name, fault, code, message] of cases) {
    it(`${name} → exit ${code}`, async () => {
      fake.controls.inject(fault);
      const r = await cli(['renders', 'list']);
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(message);
      expectNoKey(r);
    });
  }

  it('transient 429/5xx/drops are retried and the command succeeds', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'status', status: 429, retryAfter: 0 });
    fake.controls.inject({ route: 'renders.list', kind: 'drop' });
    fake.controls.inject({ route: 'renders.list', kind: 'status', status: 502 });
    const r = await cli(['renders', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
  });

  it('401 names where the key came from: flag, environment, .env', async () => {
    const wrong = 'sk_wrong_NOT_THE_KEY_777';
    const viaFlag = await cli(['renders', 'list', '--api-key', wrong]);
    expect(viaFlag.code).toBe(3);
    expect(viaFlag.stderr).toMatch(/rejected the API key read from --api-key/);
    const viaEnv = await cli(['renders', 'list'], { HEYGEN_API_KEY: wrong });
    expect(viaEnv.stderr).toMatch(/read from the HEYGEN_API_KEY environment variable/);
    await writeFile(join(cwd, '.env'), `HEYGEN_API_KEY=${wrong}\n`);
    const viaFile = await cli(['renders', 'list', '--json'], { HEYGEN_API_KEY: undefined });
    expect(viaFile.code).toBe(3);
    expect(JSON.parse(viaFile.stdout).error.message).toContain(join(cwd, '.env'));
    for (const r of [viaFlag, viaEnv, viaFile]) expectNoKey(r, wrong);
  });

  it('no key anywhere → exit 3 with the three ways to set one', async () => {
    const r = await cli(['renders', 'list'], { HEYGEN_API_KEY: undefined });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/No HeyGen API key found[\s\S]*HEYGEN_API_KEY[\s\S]*--api-key/);
  });

  it('--verbose debug lines never carry the key', async () => {
    const r = await cli(['renders', 'list', '--verbose']);
    expect(r.stderr).toMatch(/GET \/v3\/hyperframes\/renders → 200/);
    expectNoKey(r);
  });
});

describe('webhooks', () => {
  it('add prints the secret once, list hides it, rotate-secret replaces it, delete removes it', async () => {
    const local = await startFakeHeygen({ apiKeys: [KEY] });
    const env = { HEYGEN_API_URL: local.url };
    try {
      const add = await cli(
        ['webhooks', 'add', 'https://hooks.example.com/heygen', '--events', 'hyperframes_video.success', '--json'],
        env,
      );
      const ep = JSON.parse(add.stdout).endpoint;
      expect(ep.secret).toMatch(/^whsec_/);
      const plain = await cli(['webhooks', 'add', 'https://hooks.example.com/other'], env);
      expect(plain.stdout.trim()).toMatch(/^whsec_/);
      expect(plain.stderr).toMatch(/shown only now/);
      const list = await cli(['webhooks', 'list'], env);
      expect(list.stdout).toContain(ep.endpoint_id);
      expect(list.stdout).not.toContain('whsec_');
      const rotated = await cli(['webhooks', 'rotate-secret', ep.endpoint_id], env);
      expect(rotated.stdout.trim()).toMatch(/^whsec_/);
      expect(rotated.stdout.trim()).not.toBe(ep.secret);
      expect((await cli(['webhooks', 'delete', ep.endpoint_id], env)).code).toBe(0);
      const again = await cli(['webhooks', 'delete', ep.endpoint_id], env);
      expect(again.code).toBe(4);
      expect(again.stderr).toContain(ep.endpoint_id);
      expect((await cli(['webhooks', 'events'], env)).stdout).toMatch(/hyperframes_video\.fail/);
      const http = await cli(['webhooks', 'add', 'http://hooks.example.com/x'], env);
      expect(http.code).toBe(2);
      expect(http.stderr).toMatch(/must be https/);
    } finally {
      await local.close();
    }
  });

  it('verify: good, tampered and expired deliveries', async () => {
    const secret = 'whsec_e2e_secret';
    const body = '{"event_type":"hyperframes_video.success","event_data":{"render_id":"hfr_1","callback_id":"c1"}}';
    const file = join(cwd, 'body.json');
    await writeFile(file, body);
    const now = Math.floor(Date.now() / 1000);
    const sig = createHmac('sha256', secret).update(body).digest('hex');
    const good = await cli(['webhooks', 'verify', '--payload', file, '--signature', sig, '--timestamp', String(now), '--secret', secret]);
    expect(good.code).toBe(0);
    expect(good.stderr).toMatch(/Signature valid/);
    const viaEnv = await cli(['webhooks', 'verify', '--payload', file, '--signature', sig, '--timestamp', String(now)], {
      HEYGEN_WEBHOOK_SECRET: secret,
    });
    expect(viaEnv.code).toBe(0);
    await writeFile(join(cwd, 'tampered.json'), body.replace('c1', 'c2'));
    const bad = await cli([
      'webhooks',
      'verify',
      '--payload',
      join(cwd, 'tampered.json'),
      '--signature',
      sig,
      '--timestamp',
      String(now),
      '--secret',
      secret,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/does not match/);
    const old = await cli([
      'webhooks',
      'verify',
      '--payload',
      file,
      '--signature',
      sig,
      '--timestamp',
      String(now - 600),
      '--secret',
      secret,
    ]);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/more than the 300 s allowed/);
  });
});
