// `framesmith render --cloud --batch` within the account's limits, end to end: the real CLI builds a
// project from the title-card template and runs a batch against a fake HeyGen that allows only a
// few renders at once. At most --concurrency in flight, 429s absorbed, Ctrl+C then the same command
// resumes (no row rendered twice), an edited batch file refused with its rows, and OAuth tokens.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHeygen, type FakeHeygen } from '../fake-heygen/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'framesmith.js');
const KEY = 'sk_e2e_batch_SECRET_7070';
const TOKEN = 'oauth_e2e_ACCESS_TOKEN_9191';

let fake: FakeHeygen;
let template: string;
let work: string;
const temps: string[] = [];
const printed: string[] = [];

function run(
  args: string[],
  env: Record<string, string | undefined> = {},
  onStderr?: (text: string, kill: () => void) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        CI: '1',
        HEYGEN_API_URL: fake.url,
        HEYGEN_API_KEY: KEY,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => {
      stderr += c;
      onStderr?.(stderr, () => !child.killed && child.kill('SIGINT'));
    });
    child.on('close', (code) => {
      printed.push(stdout + stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

const rows = (n: number, edit: Record<number, string> = {}) =>
  JSON.stringify(Array.from({ length: n }, (_, i) => ({ headline: edit[i + 1] ?? `Headline ${i + 1}` })));
const videos = async () =>
  existsSync(join(work, 'videos')) ? (await readdir(join(work, 'videos'))).filter((f) => f.endsWith('.mp4')).sort() : [];
const STATE = () => join(work, 'videos', 'framesmith-batch-rows.json');

beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), 'fs-cloud-batch-'));
  temps.push(base);
  template = join(base, 'template');
  const created = await new Promise<number | null>((resolve) =>
    spawn(process.execPath, [BIN, 'new', template, '--template', 'title-card'], { stdio: 'ignore' }).on('close', resolve),
  );
  expect(created).toBe(0);
});
beforeEach(async () => {
  fake = await startFakeHeygen({
    apiKeys: [KEY],
    bearerTokens: [TOKEN],
    queuedSeconds: 1,
    renderingSeconds: 1,
    concurrencyLimit: 3,
    concurrencyRetryAfter: 1,
  });
  work = await mkdtemp(join(tmpdir(), 'fs-cloud-batch-run-'));
  temps.push(work);
  await cp(template, join(work, 'promo'), { recursive: true });
});
afterAll(async () => {
  await fake?.close();
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }).catch(() => {})));
});

describe('render --cloud --batch within the account limit', () => {
  it('12 rows, --concurrency 5 on an account that takes 3: never more than 3 in flight, 429s waited out, every video once', async () => {
    await writeFile(join(work, 'rows.json'), rows(12));
    const r = await run([
      'render',
      '--cloud',
      'promo',
      '--batch',
      'rows.json',
      '--name-pattern',
      'videos/{index}.mp4',
      '--concurrency',
      '5',
      '--poll-interval',
      '1',
    ]);
    expect(r.stderr).not.toMatch(/^error /m);
    expect(r.code).toBe(0);
    expect(fake.state.rendersCreated).toBe(12);
    expect(fake.state.maxActive).toBe(3);
    expect(r.stderr).toMatch(/HeyGen answered 429 \(too many renders at once\): at most 3 in flight from now on/);
    expect(r.stderr).toMatch(/12\/12 completed/);
    expect(await videos()).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}.mp4`).sort());
    expect(existsSync(STATE())).toBe(false);
  }, 120_000);

  it('Ctrl+C mid-batch, then the same command: resumes from the state beside the outputs, nothing rendered twice', async () => {
    await writeFile(join(work, 'rows.json'), rows(7));
    const args = [
      'render',
      '--cloud',
      'promo',
      '--batch',
      'rows.json',
      '--name-pattern',
      'videos/{index}.mp4',
      '--concurrency',
      '3',
      '--poll-interval',
      '1',
    ];
    const first = await run(args, {}, (text, kill) => /Submitted render .* \(row 2\)/.test(text) && kill());
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/Stopped the batch: .* not submitted/);
    expect(first.stderr).toContain(`Run the same command again to resume: rows with a render are not submitted again (state: ${STATE()})`);
    const state = JSON.parse(await readFile(STATE(), 'utf8'));
    const started = state.rows.filter((x: { render_id: string | null }) => x.render_id).length;
    expect(started).toBeGreaterThanOrEqual(2);

    const second = await run(args);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`Resuming the batch in videos/framesmith-batch-rows.json: ${started} of 7 rows already have a render`);
    expect(fake.state.rendersCreated).toBe(7);
    // Each row's key created one render; none was sent twice to make a new one.
    const created = fake.controls
      .requests('renders.create')
      .filter((q) => q.status === 202 && !q.replayed)
      .map((q) => q.idempotencyKey);
    expect(new Set(created).size).toBe(7);
    expect(created.every((k) => k!.startsWith(`${state.base_key}:`))).toBe(true);
    expect(await videos()).toHaveLength(7);
    expect(existsSync(STATE())).toBe(false);
  }, 120_000);

  it('the batch file edited between the stop and the resume: refused with the row numbers, nothing sent', async () => {
    await writeFile(join(work, 'rows.json'), rows(5));
    const args = ['render', '--cloud', 'promo', '--batch', 'rows.json', '--name-pattern', 'videos/{index}.mp4', '--poll-interval', '1'];
    const first = await run(args, {}, (text, kill) => /Submitted render .* \(row 1\)/.test(text) && kill());
    expect(first.code).toBe(130);
    await writeFile(join(work, 'rows.json'), rows(5, { 2: 'Changed', 4: 'Changed too' }));
    const creates = fake.controls.requests('renders.create').length;
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error rows.json was edited since this batch started: rows 2, 4 changed (state: ${STATE()}). [batch_changed]`,
    );
    expect(fake.controls.requests('renders.create').length).toBe(creates);
  }, 120_000);

  it('outputs written inside the project: the videos and the state file stay out of the zip, so a stopped batch resumes', async () => {
    await writeFile(join(work, 'rows.json'), rows(6));
    const inProject = join(work, 'promo', 'videos');
    const state = join(inProject, 'framesmith-batch-rows.json');
    const args = [
      'render',
      '--cloud',
      'promo',
      '--batch',
      'rows.json',
      '--name-pattern',
      'promo/videos/{index}.mp4',
      '--concurrency',
      '3',
      '--poll-interval',
      '1',
    ];
    // Stopped once a video sits in the project folder beside the state file.
    const hasVideo = () => existsSync(inProject) && readdirSync(inProject).some((f) => f.endsWith('.mp4'));
    const first = await run(args, {}, (_text, kill) => hasVideo() && kill());
    expect(first.code).toBe(130);
    expect(existsSync(state)).toBe(true);
    const made = readdirSync(inProject).filter((f) => f.endsWith('.mp4')).length;
    expect(made).toBeGreaterThanOrEqual(1);

    const second = await run(args);
    expect(second.stderr).not.toMatch(/The project changed since this batch started/);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/Resuming the batch in promo\/videos\/framesmith-batch-rows\.json/);
    expect(fake.state.rendersCreated).toBe(6);
    expect(
      readdirSync(inProject)
        .filter((f) => f.endsWith('.mp4'))
        .sort(),
    ).toEqual(['1.mp4', '2.mp4', '3.mp4', '4.mp4', '5.mp4', '6.mp4']);
    expect(existsSync(state)).toBe(false);
    // Resuming needs the same zip: both runs uploaded identical bytes (one asset, reused).
    const uploads = [...fake.controls.requests('assets.directUpload'), ...fake.controls.requests('assets.upload')].filter(
      (q) => typeof q.status === 'number' && q.status < 300,
    );
    expect(uploads).toHaveLength(1);
  }, 180_000);

  it('--concurrency is checked: a whole number 1–100, with --batch, with --cloud', async () => {
    await writeFile(join(work, 'rows.json'), rows(2));
    const zero = await run(['render', '--cloud', 'promo', '--batch', 'rows.json', '--concurrency', '0']);
    expect([zero.code, zero.stderr]).toEqual([2, expect.stringMatching(/--concurrency must be a whole number in 1–100, got "0"/)]);
    const single = await run(['render', '--cloud', 'promo', '--concurrency', '4']);
    expect([single.code, single.stderr]).toEqual([2, expect.stringMatching(/--concurrency applies to batches only/)]);
    const local = await run(['render', 'promo', '--concurrency', '4']);
    expect([local.code, local.stderr]).toEqual([2, expect.stringMatching(/--concurrency works only with --cloud/)]);
    expect(fake.state.requests).toEqual([]);
  }, 60_000);
});

describe('OAuth access tokens', () => {
  it('--access-token and HEYGEN_ACCESS_TOKEN authenticate with Authorization: Bearer; never printed; a rejected one is named', async () => {
    const viaFlag = await run(['render', '--cloud', 'promo', '--access-token', TOKEN, '--poll-interval', '1'], {
      HEYGEN_API_KEY: undefined,
    });
    expect(viaFlag.code).toBe(0);
    const authed = fake.state.requests.filter((q) => q.hadAuth);
    expect(authed.length).toBeGreaterThan(2);
    expect(authed.every((q) => q.auth === 'bearer' && q.clientSource === 'framesmith')).toBe(true);
    expect(fake.state.requests.filter((q) => q.route?.startsWith('storage')).every((q) => !q.hadAuth)).toBe(true);
    const viaEnv = await run(['renders', 'list', '--json'], { HEYGEN_API_KEY: undefined, HEYGEN_ACCESS_TOKEN: TOKEN });
    expect(viaEnv.code).toBe(0);
    const wrong = await run(['renders', 'list'], { HEYGEN_API_KEY: undefined, HEYGEN_ACCESS_TOKEN: 'oauth_expired_000000' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/HeyGen rejected the access token read from the HEYGEN_ACCESS_TOKEN environment variable/);
    const both = await run(['renders', 'list', '--api-key', KEY, '--access-token', TOKEN]);
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/Give --api-key or --access-token, not both/)]);
  }, 120_000);
});

describe('secrets', () => {
  it('no key or token in any output above', () => {
    expect(printed.length).toBeGreaterThan(8);
    for (const text of printed) for (const s of [KEY, TOKEN, 'oauth_expired_000000']) expect(text).not.toContain(s);
  });
});
