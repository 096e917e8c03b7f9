// `framesmith render --cloud` end to end: the real CLI (`node bin/framesmith.js`) builds a project
// scaffolded from the title-card template and talks to the fake HeyGen server over HTTP. Asserts
// what a user sees (stdout, stderr, exit codes, files) and what the server received (the zip, the
// create bodies, how many renders it started), and that the API key shows up in none of it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fromBufferPromise } from 'yauzl';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHeygen, type FakeHeygen } from '../fake-heygen/index.js';

// FRAMESMITH_BIN runs another build of the CLI (e.g. a private copy while the repo's dist is rebuilt).
const BIN = process.env.FRAMESMITH_BIN ?? join(import.meta.dirname, '..', '..', 'bin', 'framesmith.js');
const KEY = 'sk_e2e_render_SECRET_5150_abcdef';
const FLAG_KEY = 'sk_e2e_flag_SECRET_8080_fedcba';
const DOTENV_KEY = 'sk_e2e_dotenv_SECRET_6060_aa55';
const SECRETS = [KEY, FLAG_KEY, DOTENV_KEY];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Every output of every run, searched for the keys at the end. */
const outputs: { args: string; text: string }[] = [];

// Renders finish on the second status check: queued 1 s + rendering 1 s of fake time, and each
// GET moves the fake clock 1 s. `still` never moves on its own (for Ctrl+C and --timeout).
let fake: FakeHeygen;
let still: FakeHeygen;
let template: string;
let work: string;
let project: string;
/** Temp folders to remove at the end. */
const temps: string[] = [];

function cli(args: string[], options: { env?: Record<string, string | undefined>; server?: FakeHeygen } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        CI: '1',
        HEYGEN_API_URL: (options.server ?? fake).url,
        HEYGEN_API_KEY: KEY,
        ...options.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      outputs.push({ args: args.join(' '), text: stdout + stderr });
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Every file of a zip, decompressed. */
async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await fromBufferPromise(bytes, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  for await (const e of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
    files.set(e.fileName, Buffer.concat(chunks));
  }
  return files;
}

/** The zip the server got for a render: inline base64 or the uploaded asset. */
function receivedZip(server: FakeHeygen, renderId: string): Buffer {
  const project = server.state.renders.get(renderId)!.body.project as { type: string; data?: string; asset_id?: string };
  if (project.type === 'base64') return Buffer.from(project.data!, 'base64');
  return server.state.assets.get(project.asset_id!)!.bytes!;
}

async function expectCleanZip(bytes: Buffer) {
  const files = await unzip(bytes);
  expect(files.has('index.html')).toBe(true);
  expect([...files.keys()].filter((f) => f.split('/').pop()!.startsWith('.env'))).toEqual([]);
  for (const [name, content] of files) for (const s of SECRETS) expect(content.includes(s), `${s} in ${name}`).toBe(false);
  return files;
}

/** Files under a folder (relative), to prove nothing else was left behind. */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  return out.sort();
}

const lastRender = (server = fake) => [...server.state.renders.values()].at(-1)!;
const isMp4 = async (path: string) => (await readFile(path)).subarray(4, 8).toString('latin1') === 'ftyp';
const isPng = async (path: string) => (await readFile(path)).subarray(1, 4).toString('latin1') === 'PNG';

beforeAll(async () => {
  [fake, still] = await Promise.all([
    startFakeHeygen({ apiKeys: [KEY, FLAG_KEY, DOTENV_KEY], queuedSeconds: 1, renderingSeconds: 1 }),
    startFakeHeygen({ apiKeys: [KEY], autoAdvance: false }),
  ]);
  const base = await mkdtemp(join(tmpdir(), 'fs-cloud-render-'));
  temps.push(base);
  template = join(base, 'template');
  const created = await new Promise<number | null>((resolve) =>
    spawn(process.execPath, [BIN, 'new', template, '--template', 'title-card'], { stdio: 'ignore' }).on('close', resolve),
  );
  expect(created).toBe(0);
});
afterAll(async () => {
  await Promise.all([fake?.close(), still?.close()]);
});
beforeEach(async () => {
  fake.controls.clearFaults();
  still.controls.clearFaults();
  work = await mkdtemp(join(tmpdir(), 'fs-cloud-run-'));
  temps.push(work);
  project = join(work, 'promo');
  await cp(template, project, { recursive: true });
});

describe('render --cloud from a template', () => {
  it('uploads a clean zip, submits the flags, follows the render and downloads video + thumbnail', async () => {
    // The key comes from the project's .env only: it must reach the API and nothing else.
    await writeFile(join(project, '.env'), `HEYGEN_API_KEY=${DOTENV_KEY}\n`);
    const before = await tree(project);
    const r = await cli(
      [
        'render',
        '--cloud',
        'promo',
        '--poll-interval',
        '1',
        '--quality',
        'draft',
        '--fps',
        '24',
        '--title',
        'Launch teaser',
        '--variables',
        '{"headline":"Hello cloud"}',
      ],
      { env: { HEYGEN_API_KEY: undefined } },
    );
    expect(r.stderr).not.toMatch(/^error /m);
    expect(r.code).toBe(0);
    const render = lastRender();
    const id = render.render_id;
    expect(render.body).toMatchObject({
      quality: 'draft',
      fps: 24,
      title: 'Launch teaser',
      aspect_ratio: '16:9',
      variables: { headline: 'Hello cloud' },
      project: { type: 'base64', media_type: 'application/zip' },
    });
    const files = await expectCleanZip(receivedZip(fake, id));
    expect(files.get('index.html')!.toString()).toContain('data-composition-id="title-card"');
    // The status line showed the render moving, then where the video went.
    expect(r.stderr).toContain(`Submitted render ${id}`);
    expect(r.stderr).toMatch(new RegExp(`${id} rendering · \\d\\d:\\d\\d`));
    const video = join(project, 'renders', `${id}.mp4`);
    expect(r.stdout.trim()).toBe(relative(work, video));
    expect(await isMp4(video)).toBe(true);
    expect(await isPng(join(project, 'renders', `${id}.png`))).toBe(true);
    // Nothing else appeared: the build's zip, the two files, no temp or .part files.
    const after = await tree(project);
    expect(after.filter((f) => !before.includes(f)).sort()).toEqual([`build/promo.zip`, `renders/${id}.mp4`, `renders/${id}.png`].sort());
    expect(await readdir(work)).toEqual(['promo']);
    // Polled without auth on the media links, with auth on the API.
    const forRender = fake.state.requests.filter((q) => q.path.includes(id));
    expect(forRender.filter((q) => q.route === 'renders.get').length).toBeGreaterThanOrEqual(2);
    expect(forRender.filter((q) => q.route === 'storage.get').every((q) => !q.hadAuth && q.status === 200)).toBe(true);
  });

  it('-o puts the video (and its thumbnail) where asked, its extension picks the format; --json prints only the result', async () => {
    const r = await cli(['render', '--cloud', 'promo', '--poll-interval', '1', '-o', 'out/teaser.webm', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.ok).toBe(true);
    const [one] = result.renders;
    expect(one).toMatchObject({
      status: 'completed',
      videoPath: join(work, 'out', 'teaser.webm'),
      thumbnailPath: join(work, 'out', 'teaser.png'),
    });
    expect(lastRender().body.format).toBe('webm');
    expect((await readFile(join(work, 'out', 'teaser.webm'))).readUInt32BE(0)).toBe(0x1a45dfa3); // EBML: a real webm
    expect(r.stderr).toBe('');
    expect(existsSync(join(project, 'renders'))).toBe(false);
  });

  it('a zip over 5 MB goes through the direct upload: create, PUT without auth, complete (409 retried)', async () => {
    const local = await startFakeHeygen({ apiKeys: [KEY], queuedSeconds: 1, renderingSeconds: 1, completeConflicts: 1 });
    try {
      await mkdir(join(project, 'media'));
      await writeFile(join(project, 'media', 'noise.bin'), randomBytes(6 * 1024 * 1024));
      const r = await cli(['render', '--cloud', 'promo', '--poll-interval', '1'], { server: local });
      expect(r.stderr).not.toMatch(/^error /m);
      expect(r.code).toBe(0);
      const routes = local.state.requests.map((q) => `${q.route} ${q.status}${q.hadAuth ? ' auth' : ''}`);
      expect(routes.slice(0, 5)).toEqual([
        'assets.directUpload 200 auth',
        'storage.put 200',
        'assets.complete 409 auth',
        'assets.complete 200 auth',
        'renders.create 202 auth',
      ]);
      const render = lastRender(local);
      expect(render.body.project).toEqual({ type: 'asset_id', asset_id: expect.stringMatching(/^asset_/) });
      const files = await expectCleanZip(receivedZip(local, render.render_id));
      expect(files.get('media/noise.bin')?.length).toBe(6 * 1024 * 1024);
      expect(r.stderr).toMatch(/Uploaded 6\.\d+ MB \(asset asset_/);
      expect(await isMp4(join(project, 'renders', `${render.render_id}.mp4`))).toBe(true);
    } finally {
      await local.close();
    }
  });

  it('--no-wait prints only the render id; `renders get <id> --download` then fetches the video', async () => {
    const r = await cli(['render', '--cloud', 'promo', '--no-wait']);
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^hfr_[0-9a-f]+$/);
    expect(fake.state.renders.get(id)?.status).toBe('queued');
    expect(r.stderr).toContain(`framesmith renders get ${id} --download`);
    expect(fake.controls.requests('renders.get').filter((q) => q.path.endsWith(id))).toEqual([]);
    const got = await cli(['renders', 'get', id, '--download', '--poll-interval', '1']);
    expect(got.code).toBe(0);
    const video = join(work, 'renders', `${id}.mp4`);
    expect(got.stdout.trim()).toBe(video);
    expect(await isMp4(video)).toBe(true);
  });

  it('--batch: one upload, one render per row, downloads named by the pattern, a summary table', async () => {
    const rows = [{ headline: 'Alpha' }, { headline: 'Beta' }, { headline: 'Gamma' }];
    await writeFile(join(work, 'rows.json'), JSON.stringify(rows));
    const created = fake.state.rendersCreated;
    const uploads = fake.controls.requests('assets.directUpload').length;
    const r = await cli([
      'render',
      '--cloud',
      'promo',
      '--batch',
      'rows.json',
      '--name-pattern',
      'videos/{index}-{headline}.mp4',
      '--poll-interval',
      '1',
      '--quality',
      'draft',
    ]);
    expect(r.stderr).not.toMatch(/^error /m);
    expect(r.code).toBe(0);
    expect(fake.state.rendersCreated - created).toBe(3);
    const batch = [...fake.state.renders.values()].slice(-3);
    expect(batch.map((b) => (b.body.variables as { headline: string }).headline)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(batch.every((b) => b.body.quality === 'draft')).toBe(true);
    // The zip travelled once: one asset that all three renders point at.
    expect(fake.controls.requests('assets.directUpload').length - uploads).toBe(1);
    expect(new Set(batch.map((b) => JSON.stringify(b.body.project))).size).toBe(1);
    expect((batch[0].body.project as { type: string }).type).toBe('asset_id');
    const names = ['1-Alpha', '2-Beta', '3-Gamma'];
    for (const n of names) {
      expect(await isMp4(join(work, 'videos', `${n}.mp4`))).toBe(true);
      expect(existsSync(join(work, 'videos', `${n}.png`))).toBe(true);
    }
    expect(r.stdout.trim().split('\n')).toEqual(names.map((n) => join('videos', `${n}.mp4`)));
    expect(r.stderr).toMatch(/#\s+render\s+status\s+output/);
    for (const [i, b] of batch.entries())
      expect(r.stderr).toMatch(new RegExp(`${i + 1}\\s+${b.render_id}\\s+completed\\s+videos/${names[i]}\\.mp4`));
    expect(r.stderr).toMatch(/3\/3 completed in \d\d:\d\d/);
  });

  it('--batch --json: the machine result alone on stdout; a failed row exits 7 after the others downloaded', async () => {
    await writeFile(join(work, 'rows.csv'), 'headline\nOne\nTwo\nThree\n');
    fake.controls.queueOutcomes(['completed', { failed: 'Font failed to load' }, 'completed']);
    const r = await cli([
      'render',
      '--cloud',
      'promo',
      '--batch',
      'rows.csv',
      '--out-pattern',
      'v/{headline}.mp4',
      '--poll-interval',
      '1',
      '--json',
    ]);
    expect(r.code).toBe(7);
    const result = JSON.parse(r.stdout);
    expect(result.ok).toBe(false);
    expect(result.error.message).toMatch(/1 of 3 renders failed .*Font failed to load/);
    expect(existsSync(join(work, 'v', 'One.mp4'))).toBe(true);
    expect(existsSync(join(work, 'v', 'Two.mp4'))).toBe(false);
    expect(existsSync(join(work, 'v', 'Three.mp4'))).toBe(true);
  });

  it('a failed render prints its failure_message and exits 7', async () => {
    fake.controls.failNext('Timeline not registered for "title-card"');
    const r = await cli(['render', '--cloud', 'promo', '--poll-interval', '1']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('failed: Timeline not registered for "title-card"');
    expect(r.stdout).toBe('');
    expect(existsSync(join(project, 'renders'))).toBe(false);
  });

  it('--dry-run builds and checks, but sends nothing (and needs no key)', async () => {
    const n = fake.state.requests.length;
    const r = await cli(['render', '--cloud', 'promo', '--dry-run', '--quality', 'high'], { env: { HEYGEN_API_KEY: undefined } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Checked: 1 render would be submitted; nothing uploaded/);
    expect(r.stdout).toBe('');
    const json = JSON.parse(
      (await cli(['render', '--cloud', 'promo', '--dry-run', '--quality', 'high', '--json'], { env: { HEYGEN_API_KEY: undefined } }))
        .stdout,
    );
    expect(json).toMatchObject({ ok: true, dryRun: true, upload: null, renders: [] });
    expect(json.requests).toEqual([
      {
        project: { type: 'base64', media_type: 'application/zip', data: expect.stringMatching(/^<\d+-byte zip as base64>$/) },
        quality: 'high',
        aspect_ratio: '16:9',
      },
    ]);
    expect(existsSync(join(project, 'build', 'promo.zip'))).toBe(true);
    expect(fake.state.requests.length).toBe(n);
  });

  it('--json carries the warnings that stderr shows without it (an undeclared variable)', async () => {
    const plain = await cli(['render', '--cloud', 'promo', '--dry-run', '--variables', '{"nope":1}'], {
      env: { HEYGEN_API_KEY: undefined },
    });
    expect(plain.stderr).toMatch(/"nope" is not a declared variable/);
    const r = await cli(['render', '--cloud', 'promo', '--dry-run', '--json', '--variables', '{"nope":1}'], {
      env: { HEYGEN_API_KEY: undefined },
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'variable_undeclared',
        message: expect.stringContaining('"nope" is not a declared variable'),
      }),
    ]);
    const clean = JSON.parse(
      (await cli(['render', '--cloud', 'promo', '--dry-run', '--json'], { env: { HEYGEN_API_KEY: undefined } })).stdout,
    );
    expect(clean.warnings).toEqual([]);
  });
});

describe('errors from the API', () => {
  it('401 says the key is wrong and where it was read from: environment, project .env, --api-key', async () => {
    const wrong = 'sk_wrong_key_NOT_VALID_0000';
    const viaEnv = await cli(['render', '--cloud', 'promo'], { env: { HEYGEN_API_KEY: wrong } });
    expect(viaEnv.code).toBe(3);
    expect(viaEnv.stderr).toMatch(/rejected the API key read from the HEYGEN_API_KEY environment variable/);
    await writeFile(join(project, '.env'), `# local secrets\nHEYGEN_API_KEY="${wrong}"\n`);
    const viaDotenv = await cli(['render', '--cloud', 'promo'], { env: { HEYGEN_API_KEY: undefined } });
    expect(viaDotenv.code).toBe(3);
    expect(viaDotenv.stderr).toContain(`rejected the API key read from ${join(project, '.env')}`);
    const viaFlag = await cli(['render', '--cloud', 'promo', '--api-key', wrong]);
    expect(viaFlag.code).toBe(3);
    expect(viaFlag.stderr).toMatch(/rejected the API key read from --api-key/);
    for (const r of [viaEnv, viaDotenv, viaFlag]) {
      expect(r.stdout + r.stderr).not.toContain(wrong);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    }
  });

  it('the right key from --api-key works, and the CLI never echoes it', async () => {
    const r = await cli(['render', '--cloud', 'promo', '--api-key', FLAG_KEY, '--poll-interval', '1', '--verbose'], {
      env: { HEYGEN_API_KEY: undefined },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/POST \/v3\/hyperframes\/renders → 202/);
    await expectCleanZip(receivedZip(fake, lastRender().render_id));
  });

  it('402 says the account has no credits (exit 5) and creates nothing', async () => {
    const created = fake.state.rendersCreated;
    fake.controls.inject({ route: 'renders.create', kind: 'status', status: 402, message: 'Insufficient credit' });
    const r = await cli(['render', '--cloud', 'promo']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/no credits left/);
    expect(fake.state.rendersCreated).toBe(created);
  });

  it('400 names the parameter the API rejected (exit 2)', async () => {
    fake.controls.inject({
      route: 'renders.create',
      kind: 'status',
      status: 400,
      param: 'callback_id',
      message: 'callback_id contains forbidden characters',
    });
    const r = await cli(['render', '--cloud', 'promo', '--callback-id', 'bad id']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rejected the parameter "callback_id"/);
    expect(r.stderr).toContain('callback_id contains forbidden characters');
  });

  it('404 on renders get names the id (exit 4)', async () => {
    const r = await cli(['renders', 'get', 'hfr_does_not_exist', '--download']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('No render "hfr_does_not_exist"');
  });

  it('429 with Retry-After is waited out and retried; the render goes through once', async () => {
    const created = fake.state.rendersCreated;
    fake.controls.inject({ route: 'renders.create', kind: 'status', status: 429, retryAfter: 2 });
    const r = await cli(['render', '--cloud', 'promo', '--no-wait']);
    expect(r.code).toBe(0);
    expect(fake.state.rendersCreated - created).toBe(1);
    const creates = fake.controls.requests('renders.create').slice(-2);
    expect(creates.map((q) => q.status)).toEqual([429, 202]);
    expect(creates[0].idempotencyKey).toBe(creates[1].idempotencyKey);
    expect(r.stderr).toMatch(/retrying in 2\.0 s after HTTP 429/);
    expect(r.stdout.trim()).toBe(lastRender().render_id);
  });

  for (const [name, fault] of [
    ['a 503 after the render was created', { kind: 'status', status: 503, after: true }],
    ['a connection dropped after the render was created', { kind: 'drop', after: true }],
  ] as const) {
    it(`${name} is retried with the same Idempotency-Key: exactly one render`, async () => {
      const created = fake.state.rendersCreated;
      fake.controls.inject({ route: 'renders.create', ...fault });
      const r = await cli(['render', '--cloud', 'promo', '--poll-interval', '1']);
      expect(r.stderr).not.toMatch(/^error /m);
      expect(r.code).toBe(0);
      expect(fake.state.rendersCreated - created).toBe(1);
      const creates = fake.controls.requests('renders.create').slice(-2);
      expect(creates.map((q) => q.status)).toEqual([fault.kind === 'drop' ? 'dropped' : 503, 202]);
      expect(creates[0].idempotencyKey).toBe(creates[1].idempotencyKey);
      const id = lastRender().render_id;
      expect(await isMp4(join(project, 'renders', `${id}.mp4`))).toBe(true);
    });
  }
});

describe('refused before any request', () => {
  const cases: [string, string[], RegExp][] = [
    ['fps 241', ['--fps', '241'], /--fps must be a whole number from 1 to 240, got 241/],
    ['a quality that does not exist', ['--quality', 'ultra'], /--quality must be one of draft, standard, high, got "ultra"/],
    ['an http callback', ['--callback-url', 'http://example.com/hook'], /--callback-url must be an https:\/\/ URL/],
    ['4k webm', ['--resolution', '4k', '--format', 'webm'], /--resolution 4k works only with --format mp4/],
    [
      '9:16 on a 1920x1080 composition',
      ['--aspect-ratio', '9:16'],
      /--aspect-ratio 9:16 does not match the composition \(1920x1080 is 16:9\)/,
    ],
    ['a title over 500 characters', ['--title', 'x'.repeat(501)], /--title is 501 characters/],
    ['a bad --idempotency-key', ['--idempotency-key', 'has spaces'], /--idempotency-key must be/],
    ['-o with --batch', ['--batch', 'rows.json', '-o', 'x.mp4'], /-o cannot name the outputs of a batch/],
    ['-o x.mp4 with --format mov', ['-o', 'x.mp4', '--format', 'mov'], /-o x\.mp4 ends in \.mp4, but --format is mov/],
    [
      'a variable the composition does not declare, with --strict-variables',
      ['--variables', '{"headlne":"typo"}', '--strict-variables'],
      /headlne/,
    ],
    ['local-only --frames', ['--frames', '0-9'], /--frames applies to local renders only, not with --cloud/],
    ['local-only --workers', ['--workers', '2'], /--workers applies to local renders only/],
  ];
  for (const [name, flags, message] of cases) {
    it(`render --cloud refuses ${name} (exit 2)`, async () => {
      const n = fake.state.requests.length;
      const r = await cli(['render', '--cloud', 'promo', ...flags]);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(fake.state.requests.length).toBe(n);
      expect(existsSync(join(project, 'renders'))).toBe(false);
    });
  }

  it('no API key anywhere: exit 3 naming the three places, before building', async () => {
    const n = fake.state.requests.length;
    const r = await cli(['render', '--cloud', 'promo'], { env: { HEYGEN_API_KEY: undefined } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/No HeyGen API key found[\s\S]*HEYGEN_API_KEY[\s\S]*promo\/\.env[\s\S]*--api-key/);
    expect(existsSync(join(project, 'build'))).toBe(false);
    expect(fake.state.requests.length).toBe(n);
  });

  for (const flags of [['--title', 'x'], ['--callback-url', 'https://example.com/h'], ['--no-wait']]) {
    it(`render without --cloud refuses ${flags[0]} (exit 2)`, async () => {
      const n = fake.state.requests.length;
      const r = await cli(['render', 'promo', ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${flags[0]} works only with --cloud`);
      expect(fake.state.requests.length).toBe(n);
    });
  }
});

describe('waiting', () => {
  /** Runs the CLI and presses Ctrl+C once stderr matches `when`. */
  function interruptWhen(args: string[], server: FakeHeygen, when: RegExp): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: work,
      env: { PATH: process.env.PATH, NO_COLOR: '1', CI: '1', HEYGEN_API_URL: server.url, HEYGEN_API_KEY: KEY },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => {
      stderr += c;
      if (when.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    return new Promise((resolve) =>
      child.on('close', (code) => {
        outputs.push({ args: `ctrl+c ${args.join(' ')}`, text: stdout + stderr });
        resolve({ code, stderr });
      }),
    );
  }

  it('Ctrl+C while polling says how to resume and exits 130; the render goes on', async () => {
    const { code, stderr } = await interruptWhen(['render', '--cloud', 'promo', '--poll-interval', '30'], still, / queued · /);
    const id = lastRender(still).render_id;
    expect(code).toBe(130);
    expect(stderr).toContain(`Stopped waiting for render ${id}`);
    expect(stderr).toContain(`framesmith renders get ${id} --download`);
    expect(still.state.renders.get(id)?.deleted).toBe(false);
    expect(existsSync(join(project, 'renders'))).toBe(false);
  });

  it('Ctrl+C while downloading names the finished render to fetch, and leaves no partial file', async () => {
    fake.controls.inject({ route: 'storage.get', kind: 'slow', delayMs: 3000 });
    const { code, stderr } = await interruptWhen(['render', '--cloud', 'promo', '--poll-interval', '1'], fake, / completed · /);
    const id = lastRender().render_id;
    expect(code).toBe(130);
    expect(stderr).toContain(`render ${id} is finished in the cloud and not downloaded yet`);
    expect(stderr).toContain(`framesmith renders get ${id} --download`);
    expect(stderr).not.toMatch(/crashed/);
    expect(existsSync(join(project, 'renders')) ? await tree(join(project, 'renders')) : []).toEqual([]);
  });

  it('Ctrl+C during the direct upload of a > 5 MB project: exit 130, nothing submitted, no temp files', async () => {
    const local = await startFakeHeygen({ apiKeys: [KEY] });
    try {
      await mkdir(join(project, 'media'));
      await writeFile(join(project, 'media', 'noise.bin'), randomBytes(6 * 1024 * 1024));
      const before = await tree(work);
      // The storage holds the PUT open, as a slow link would, so the press lands mid-upload.
      local.controls.inject({ route: 'storage.put', kind: 'slow', delayMs: 5000 });
      const child = spawn(process.execPath, [BIN, 'render', '--cloud', 'promo'], {
        cwd: work,
        env: { PATH: process.env.PATH, NO_COLOR: '1', CI: '1', HEYGEN_API_URL: local.url, HEYGEN_API_KEY: KEY },
      });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const press = setInterval(() => {
        if (local.controls.requests('storage.put').length && !child.killed) child.kill('SIGINT');
      }, 20);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearInterval(press);
      outputs.push({ args: 'ctrl+c upload', text: stderr });
      expect(code).toBe(130);
      expect(stderr).toContain('Stopped while uploading; nothing was submitted.');
      expect(stderr).not.toMatch(/crashed|at .*\.js:\d+/);
      expect(local.state.rendersCreated).toBe(0);
      expect(local.controls.requests('renders.create')).toEqual([]);
      expect(local.controls.requests('assets.complete')).toEqual([]);
      // Only the build's zip is new (as after `framesmith build`): no staging folder, no partial file.
      const added = (await tree(work)).filter((f) => !before.includes(f));
      expect(added).toEqual([expect.stringMatching(/^promo\/build\/[^/]+\.zip$/)]);
    } finally {
      await local.close();
    }
  });

  it('a download cut off every time: exit 6 naming the finished render and the command to fetch it', async () => {
    fake.controls.inject({ route: 'storage.get', kind: 'truncate', times: 3 });
    const r = await cli(['render', '--cloud', 'promo', '--poll-interval', '1']);
    const id = lastRender().render_id;
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`The download of render ${id} was cut off 3 times`);
    expect(r.stderr).toContain(`framesmith renders get ${id} --download`);
    expect(existsSync(join(project, 'renders')) ? await tree(join(project, 'renders')) : []).toEqual([]);
  });

  it('--timeout stops waiting with exit 8 and the resume command', async () => {
    const r = await cli(['render', '--cloud', 'promo', '--poll-interval', '1', '--timeout', '0.02'], { server: still });
    const id = lastRender(still).render_id;
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(new RegExp(`Render ${id} is still queued after \\d+ s`));
    expect(r.stderr).toContain(`framesmith renders get ${id} --download`);
  });
});

describe('the API key', () => {
  it('appears in no output of any run above, and in no zip the server received', async () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const o of outputs) for (const s of SECRETS) expect(o.text.includes(s), `${s} printed by: ${o.args}`).toBe(false);
    for (const server of [fake, still]) {
      for (const r of server.state.renders.values()) await expectCleanZip(receivedZip(server, r.render_id));
    }
  });
});

afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }).catch(() => {})));
});
