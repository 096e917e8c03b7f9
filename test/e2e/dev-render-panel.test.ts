/**
 * The preview's render panel against a real dev server, a real Chromium and real renders (the
 * same library code as `framesmith render`, in a worker process): the values typed in the
 * preview end up in the video's pixels, the queue shows the finished file (path, size, a player)
 * and survives a reload, a cancelled render leaves no file and no temp file, a taken output name
 * is never overwritten silently, stopping the server mid-render leaves nothing half-written, and
 * a cloud render (fake HeyGen server) shows what it costs, asks once and downloads the result.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { createDevServer, type DevServer } from '../../src/dev/index.js';
import { STUDIO_API_PATH, type StudioJob } from '../../shared/studio-protocol.js';
import { startFakeHeygen, type FakeHeygen } from '../fake-heygen/index.js';
import { tempDir, useFixture } from '../helpers/fixtures.js';
import { openPreview } from './dev-helpers.js';

const KEY = 'sk-studio-test-key';
let browser: LaunchedBrowser;
let server: DevServer;
let fake: FakeHeygen;
let dir: string;
let longDir: string;
let longServer: DevServer | null = null;

beforeAll(async () => {
  dir = useFixture('dev-basic');
  longDir = useFixture('render-long');
  fake = await startFakeHeygen({ apiKeys: [KEY], queuedSeconds: 0, renderingSeconds: 0 });
  const env = { ...process.env, HEYGEN_API_KEY: KEY, HEYGEN_API_URL: fake.url };
  [browser, server] = await Promise.all([launchBrowser(), createDevServer({ dir, port: 0, studio: { env, cloudPollMs: 200 } })]);
  await server.ready;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await longServer?.close();
  await fake?.close();
});

async function withPreview(s: DevServer, fn: (page: Page) => Promise<void>): Promise<void> {
  const page = await openPreview(browser, s);
  try {
    await fn(page);
  } finally {
    await page.context().close();
  }
}

/** The jobs as the server lists them. */
async function jobs(s: DevServer): Promise<StudioJob[]> {
  const res = await fetch(`${origin(s)}${STUDIO_API_PATH}jobs`);
  return (await res.json()) as StudioJob[];
}

const origin = (s: DevServer) => new URL(s.url).origin;

/** Files of a folder that are temp files of a render (`.name.pid-tag.partial`, `.wav`). */
const leftovers = (folder: string) => (existsSync(folder) ? readdirSync(folder).filter((n) => n.startsWith('.')) : []);

/** RGB of a pixel of a 640×360 composition in a video's first frame (ffmpeg decodes and scales it). */
function videoPixel(file: string, x: number, y: number, at = 0): [number, number, number] {
  const raw = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-ss',
      String(at),
      '-i',
      file,
      '-frames:v',
      '1',
      '-vf',
      `scale=640:360,format=rgb24,crop=1:1:${x}:${y}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
    { maxBuffer: 1 << 20 },
  );
  return [raw[0], raw[1], raw[2]];
}

const near = (a: number[], b: number[], tol = 30) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

async function openPanel(page: Page): Promise<void> {
  await page.click('[data-testid=open-render]');
  await page.waitForSelector('[data-testid=render-panel]:not([hidden])');
}

describe('render panel (local)', () => {
  test('renders the values typed in the preview; the queue shows the file, its size and a player, and survives a reload', async () => {
    await withPreview(server, async (page) => {
      // A value typed in the variables panel is what the render draws.
      await page.locator('.var[data-var=boxColor] input[type=text]').fill('#0000ff');
      await openPanel(page);
      await page.selectOption('[data-testid=render-quality]', 'draft');
      await page.fill('[data-testid=render-name]', 'blue');
      await expect.poll(() => page.locator('[data-testid=render-out]').textContent()).toBe('renders/blue.mp4');
      await page.click('[data-testid=render-start]');
      const card = page.locator('.job').first();
      await card.locator('[data-testid=job-status]', { hasText: /^Done$/ }).waitFor({ timeout: 60_000 });
      expect(await card.locator('[data-testid=item-path]').textContent()).toBe('renders/blue.mp4');
      const file = join(dir, 'renders', 'blue.mp4');
      const size = statSync(file).size;
      expect(await card.locator('[data-testid=item-meta]').textContent()).toContain(`${(size / 1024).toFixed(1)} KB`);
      expect(leftovers(join(dir, 'renders'))).toEqual([]);
      // The box (left 0, top 200, 80 px) is blue in the video, as typed.
      expect(near(videoPixel(file, 20, 240), [0, 0, 255])).toBe(true);
      // Played in the page, from the server.
      await card.locator('[data-testid=item-play]').click();
      const duration = await card
        .locator('[data-testid=item-video]')
        .evaluate(
          (v: HTMLVideoElement) =>
            new Promise<number>((resolve, reject) =>
              v.readyState >= 1
                ? resolve(v.duration)
                : ((v.onloadedmetadata = () => resolve(v.duration)), (v.onerror = () => reject(new Error('video did not load')))),
            ),
        );
      expect(duration).toBeCloseTo(2, 1);
      // The queue lives on the server: a reload finds it again.
      await page.reload();
      await openPanel(page);
      await page.locator('.job [data-testid=item-path]', { hasText: 'renders/blue.mp4' }).waitFor();
    });
  });

  test('a taken output name is never overwritten silently: the panel asks, "keep both" numbers it', async () => {
    writeFileSync(join(dir, 'renders', 'taken.mp4'), 'not a video');
    await withPreview(server, async (page) => {
      await openPanel(page);
      await page.selectOption('[data-testid=render-quality]', 'draft');
      await page.fill('[data-testid=render-name]', 'taken');
      await page.click('[data-testid=render-start]');
      const dialog = page.locator('.studio-ask');
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('renders/taken.mp4 exists already');
      await dialog.locator('[data-testid=keep-both]').click();
      await page.locator('.job [data-testid=item-path]', { hasText: 'renders/taken-2.mp4' }).waitFor({ timeout: 60_000 });
    });
    // The user's file is untouched.
    expect(statSync(join(dir, 'renders', 'taken.mp4')).size).toBe('not a video'.length);
    expect(statSync(join(dir, 'renders', 'taken-2.mp4')).size).toBeGreaterThan(1000);
  });
});

/** Queues a render through the API, as the panel does. */
async function addJob(s: DevServer, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${origin(s)}${STUDIO_API_PATH}jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: origin(s) },
    body: JSON.stringify({
      kind: 'local',
      composition: 'index.html',
      params: { format: 'mp4', quality: 'draft', fps: 30, resolution: '1080p' },
      rows: [{ variables: {} }],
      ...body,
    }),
  });
}

describe('render queue', () => {
  test('one render at a time: the second waits; a queued render cancelled and retried renders', async () => {
    await withPreview(server, async (page) => {
      await openPanel(page);
      const first = (await (await addJob(server, { name: 'q-first' })).json()) as StudioJob;
      const second = (await (await addJob(server, { name: 'q-second' })).json()) as StudioJob;
      expect(second.status).toBe('queued');
      const card = page.locator(`.job[data-job="${second.id}"]`);
      expect(await card.locator('[data-testid=job-progress]').textContent()).toBe('Waiting for the render before it');
      await card.locator('[data-testid=job-cancel]').click();
      await card.locator('[data-testid=job-status]', { hasText: /^Cancelled$/ }).waitFor();
      await card.locator('[data-testid=job-retry]').click();
      await page.locator('.job [data-testid=item-path]', { hasText: 'renders/q-second.mp4' }).waitFor({ timeout: 60_000 });
      const all = await jobs(server);
      expect(all.find((j) => j.id === first.id)?.status).toBe('done');
      const retried = all.find((j) => j.retryOf === second.id)!;
      expect(retried.status).toBe('done');
      // The retried job started after the first ended: never two at once.
      expect(retried.startedAt!).toBeGreaterThanOrEqual(all.find((j) => j.id === first.id)!.endedAt!);
    });
    expect(statSync(join(dir, 'renders', 'q-second.mp4')).size).toBeGreaterThan(1000);
  });
});

describe('render panel: cancel and stop', () => {
  beforeAll(async () => {
    longServer = await createDevServer({ dir: longDir, port: 0 });
    await longServer.ready;
  });

  test('cancel mid-render: the job says cancelled, no video and no temp file', async () => {
    await withPreview(longServer!, async (page) => {
      await openPanel(page);
      await page.selectOption('[data-testid=render-quality]', 'draft');
      await page.fill('[data-testid=render-name]', 'long');
      await page.click('[data-testid=render-start]');
      const card = page.locator('.job').first();
      // Progress with frames, fps and time left.
      await expect
        .poll(() => card.locator('[data-testid=job-progress]').textContent(), { timeout: 60_000 })
        .toMatch(/^\d+\/1200 frames · [\d.]+ fps · /);
      await card.locator('[data-testid=job-cancel]').click();
      await card.locator('[data-testid=job-status]', { hasText: /^Cancelled$/ }).waitFor({ timeout: 30_000 });
      const [job] = await jobs(longServer!);
      expect(job.status).toBe('cancelled');
      expect(existsSync(join(longDir, 'renders', 'long.mp4'))).toBe(false);
      // No temp file stays behind (the folder itself is removed when the render made it).
      expect(leftovers(join(longDir, 'renders'))).toEqual([]);
    });
  });

  test('the server stopped mid-render: nothing half-written stays', async () => {
    const s = await createDevServer({ dir: longDir, port: 0 });
    await s.ready;
    const res = await addJob(s, { name: 'stopped', params: { format: 'mp4', quality: 'draft', fps: 10, resolution: '1080p' } });
    expect(res.status).toBe(201);
    // Wait until frames are being written.
    await expect.poll(async () => (await jobs(s))[0]?.progress?.done ?? 0, { timeout: 60_000, interval: 200 }).toBeGreaterThan(5);
    await s.close();
    expect(existsSync(join(longDir, 'renders', 'stopped.mp4'))).toBe(false);
    expect(leftovers(join(longDir, 'renders'))).toEqual([]);
  });
});

describe('render slots', () => {
  test('--render-slots 2 runs two renders at once; both cancel cleanly', async () => {
    const s = await createDevServer({ dir: longDir, port: 0, renderSlots: 2 });
    try {
      await s.ready;
      const params = { format: 'mp4', quality: 'draft', fps: 10, resolution: '1080p' };
      const a = (await (await addJob(s, { name: 'slot-a', params })).json()) as StudioJob;
      const b = (await (await addJob(s, { name: 'slot-b', params })).json()) as StudioJob;
      await expect
        .poll(async () => (await jobs(s)).filter((j) => j.status === 'running' && (j.progress?.done ?? 0) > 0).length, {
          timeout: 90_000,
          interval: 250,
        })
        .toBe(2);
      for (const id of [a.id, b.id])
        await fetch(`${origin(s)}${STUDIO_API_PATH}jobs/${id}/cancel`, {
          method: 'POST',
          headers: { origin: origin(s), 'content-type': 'application/json' },
          body: '{}',
        });
      await expect
        .poll(async () => (await jobs(s)).map((j) => j.status).sort(), { timeout: 30_000, interval: 250 })
        .toEqual(['cancelled', 'cancelled']);
    } finally {
      await s.close();
    }
    expect(existsSync(join(longDir, 'renders', 'slot-a.mp4')) || existsSync(join(longDir, 'renders', 'slot-b.mp4'))).toBe(false);
    expect(leftovers(join(longDir, 'renders'))).toEqual([]);
  });
});

describe.runIf(process.platform === 'linux')('render panel: Open folder', () => {
  test("opens the render's folder with the system's opener; without a file manager the panel shows the file's path", async () => {
    // A stand-in `xdg-open` first in PATH: it records what it was asked to open.
    const bin = join(tempDir(), 'bin');
    mkdirSync(bin, { recursive: true });
    const asked = join(bin, 'asked.txt');
    const opener = (code: number) =>
      writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${asked}'\nexit ${code}\n`, { mode: 0o755 });
    opener(0);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const folderDir = useFixture('dev-basic');
    const s = await createDevServer({ dir: folderDir, port: 0, studio: { env } });
    try {
      await s.ready;
      const job = (await (await addJob(s, { name: 'reveal-me' })).json()) as StudioJob;
      await withPreview(s, async (page) => {
        await openPanel(page);
        const card = page.locator(`.job[data-job="${job.id}"]`);
        await card.locator('[data-testid=job-status]', { hasText: /^Done$/ }).waitFor({ timeout: 60_000 });
        await card.locator('[data-testid=job-reveal]').click();
        await expect.poll(() => page.locator('.toast').last().textContent()).toBe('Opened renders/ in the file manager');
        expect(readFileSync(asked, 'utf8')).toBe(`${realpathSync(join(folderDir, 'renders'))}\n`);
        // No desktop: xdg-open exits 3 at once. The panel says where the file is instead.
        opener(3);
        await card.locator('[data-testid=job-reveal]').click();
        await expect
          .poll(() => page.locator('.toast').last().textContent())
          .toBe(`xdg-open could not open the folder (exit 3): the file is ${realpathSync(join(folderDir, 'renders', 'reveal-me.mp4'))}`);
      });
    } finally {
      await s.close();
    }
  });
});

describe('render panel on another device', () => {
  test('a preview opened from the network (--host) shows why the panel cannot render', async () => {
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!lan) throw new Error('this test needs a network interface besides loopback (a machine like CI has eth0)');
    const shared = await createDevServer({ dir, port: 0, host: true });
    // framesmith's browsers resolve nothing but loopback (page isolation); the user's browser on
    // another device reaches the machine's network address, so this one may too.
    const lanBrowser = await launchBrowser({
      extraArgs: [`--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost , EXCLUDE ${lan}`],
    });
    const context = await lanBrowser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      await shared.ready;
      const page = await context.newPage();
      await page.goto(`http://${lan}:${new URL(shared.url).port}/__framesmith/`);
      await page.waitForFunction(() => (window.__framesmithDev?.updates.length ?? 0) >= 1, null, { timeout: 20_000 });
      await openPanel(page);
      await expect
        .poll(() => page.locator('.render-error').textContent())
        .toContain('the render panel and the dataset view answer only to this machine');
    } finally {
      await context.close();
      await lanBrowser.close();
      await shared.close();
    }
  });
});

describe('render panel (cloud, fake HeyGen server)', () => {
  test('shows the cost-relevant parameters, asks once, then follows the render and downloads it', async () => {
    await withPreview(server, async (page) => {
      await openPanel(page);
      await page.click('[data-testid=render-cloud]');
      await page.fill('[data-testid=render-name]', 'cloudy');
      await page.click('[data-testid=render-start]');
      const summary = page.locator('[data-testid=cost-summary]');
      await summary.waitFor();
      const text = await summary.textContent();
      expect(text).toContain('1080p (640×360)');
      expect(text).toContain('2.0 s each');
      await page.click('[data-testid=submit-cloud]');
      // This server's queue also lists the earlier tests' jobs: find this one by its name.
      const card = page.locator('.job').filter({ hasText: 'cloudy' });
      await card.locator('[data-testid=job-status]', { hasText: /^Done$/ }).waitFor({ timeout: 60_000 });
      expect(await card.locator('[data-testid=item-path]').textContent()).toBe('renders/cloudy.mp4');
    });
    expect(statSync(join(dir, 'renders', 'cloudy.mp4')).size).toBeGreaterThan(0);
    // One render was created, with one upload.
    expect(fake.controls.requests('renders.create')).toHaveLength(1);
  });

  test('a cloud name with {render_id} is written with the render id', async () => {
    const res = await addJob(server, { kind: 'cloud', confirmed: true, name: 'cloud-{render_id}' });
    expect(res.status).toBe(201);
    const job = (await res.json()) as StudioJob;
    await expect
      .poll(async () => (await jobs(server)).find((j) => j.id === job.id)?.status, { timeout: 60_000, interval: 250 })
      .toBe('done');
    const [item] = (await jobs(server)).find((j) => j.id === job.id)!.items;
    expect(item.renderId).toBeTruthy();
    expect(item.output).toBe(`renders/cloud-${item.renderId}.mp4`);
    expect(statSync(join(dir, item.output)).size).toBeGreaterThan(0);
  });

  test('a cloud error mid-batch: that row shows it, the other rows finish, the queue goes on', async () => {
    const before = fake.controls.requests('renders.create').length;
    const uploads = () => fake.controls.requests('assets.directUpload').length + fake.controls.requests('assets.upload').length;
    const uploadsBefore = uploads();
    fake.controls.queueOutcomes(['completed', { failed: 'Font could not be loaded' }, 'completed']);
    const rows = ['One', 'Two', 'Three'].map((title, i) => ({ row: i + 1, variables: { title } }));
    const res = await addJob(server, { kind: 'cloud', confirmed: true, rows, name: 'cloud-{title}', source: 'rows.csv' });
    expect(res.status).toBe(201);
    const job = (await res.json()) as StudioJob;
    const after = await addJob(server, { name: 'after-cloud' });
    expect(after.status).toBe(201);
    const next = (await after.json()) as StudioJob;
    await expect
      .poll(async () => (await jobs(server)).find((j) => j.id === job.id)?.status, { timeout: 60_000, interval: 250 })
      .toBe('failed');
    const ended = (await jobs(server)).find((j) => j.id === job.id)!;
    expect(ended.items.map((i) => i.status)).toEqual(['done', 'failed', 'done']);
    expect(ended.items[1].error?.message).toContain('Font could not be loaded');
    expect(ended.items.map((i) => i.output)).toEqual(['renders/cloud-One.mp4', 'renders/cloud-Two.mp4', 'renders/cloud-Three.mp4']);
    expect(existsSync(join(dir, 'renders', 'cloud-Two.mp4'))).toBe(false);
    expect(statSync(join(dir, 'renders', 'cloud-Three.mp4')).size).toBeGreaterThan(0);
    // One upload for the three renders.
    expect(fake.controls.requests('renders.create').length - before).toBe(3);
    expect(uploads() - uploadsBefore).toBe(1);
    await expect
      .poll(async () => (await jobs(server)).find((j) => j.id === next.id)?.status, { timeout: 60_000, interval: 250 })
      .toBe('done');

    // Retry (the card's button) renders the failed row only, under its own name; the finished
    // rows' files stay as they were.
    const oneBefore = statSync(join(dir, 'renders', 'cloud-One.mp4')).mtimeMs;
    const createdBefore = fake.controls.requests('renders.create').length;
    await withPreview(server, async (page) => {
      await openPanel(page);
      const card = page.locator(`.job[data-job="${job.id}"]`);
      expect(await card.locator('[data-testid=job-retry]').textContent()).toBe('Retry');
      await card.locator('[data-testid=job-retry]').click();
      // Submitting again is billed again: the cost is shown and asked once more (one render).
      const summary = page.locator('[data-testid=cost-summary]');
      await summary.waitFor();
      expect(await summary.textContent()).toContain('Renders1');
      expect(await page.locator('[data-testid=submit-cloud]').textContent()).toBe('Submit the render');
      expect(fake.controls.requests('renders.create').length).toBe(createdBefore);
      await page.click('[data-testid=submit-cloud]');
      await expect
        .poll(async () => (await jobs(server)).find((j) => j.retryOf === job.id)?.status, { timeout: 60_000, interval: 250 })
        .toBe('done');
      const retried = (await jobs(server)).find((j) => j.retryOf === job.id)!;
      expect(retried.items.map((i) => i.output)).toEqual(['renders/cloud-Two.mp4']);
      await page.locator(`.job[data-job="${retried.id}"] [data-testid=job-status]`, { hasText: /^Done$/ }).waitFor({ timeout: 30_000 });
    });
    expect(statSync(join(dir, 'renders', 'cloud-Two.mp4')).size).toBeGreaterThan(0);
    expect(statSync(join(dir, 'renders', 'cloud-One.mp4')).mtimeMs).toBe(oneBefore);
    expect(fake.controls.requests('renders.create').length - createdBefore).toBe(1);
  });

  test('a cloud batch cancelled mid-way: finished rows stay, the others say cancelled, nothing half-written, HeyGen keeps the renders; Resume fetches them without new renders', async () => {
    // A server of its own whose clock moves only when the test says: rows end when the test wants.
    const cloud = await startFakeHeygen({ apiKeys: [KEY], autoAdvance: false, queuedSeconds: 0, renderingSeconds: 1 });
    const cdir = useFixture('dev-basic');
    const s = await createDevServer({
      dir: cdir,
      port: 0,
      studio: { env: { ...process.env, HEYGEN_API_KEY: KEY, HEYGEN_API_URL: cloud.url }, cloudPollMs: 100 },
    });
    const renders = join(cdir, 'renders');
    try {
      await s.ready;
      // Rows 1–2 end at once, row 3 a little later, row 4 later still, row 5 renders for an hour,
      // row 6 waits in HeyGen's queue for an hour.
      cloud.controls.queueOutcomes([
        'completed',
        'completed',
        { renderingSeconds: 5 },
        { renderingSeconds: 10 },
        { renderingSeconds: 3600 },
        { queuedSeconds: 3600 },
      ]);
      const titles = ['One', 'Two', 'Three', 'Four', 'Five', 'Six'];
      const rows = titles.map((title, i) => ({ row: i + 1, variables: { title } }));
      const res = await addJob(s, { kind: 'cloud', confirmed: true, rows, name: 'cut-{title}', source: 'rows.csv' });
      expect(res.status).toBe(201);
      const job = (await res.json()) as StudioJob;
      const current = async () => (await jobs(s)).find((j) => j.id === job.id)!;
      await withPreview(s, async (page) => {
        await openPanel(page);
        const card = page.locator(`.job[data-job="${job.id}"]`);
        await expect.poll(async () => (await current()).items.filter((i) => i.renderId).length, { timeout: 60_000, interval: 200 }).toBe(6);
        await card.locator('[data-testid=job-status]', { hasText: /^In the cloud$/ }).waitFor();
        cloud.controls.advance(2);
        await expect
          .poll(async () => (await current()).items.map((i) => i.status).slice(0, 2), { timeout: 30_000, interval: 200 })
          .toEqual(['done', 'done']);
        // Row 3's video download starts and stalls half-way (its temp file is on disk).
        const gets = cloud.controls.requests('storage.get').length;
        cloud.controls.inject({ route: 'storage.get', kind: 'stall', afterBytes: 200 });
        cloud.controls.advance(5);
        await expect.poll(async () => (await current()).items[2].status, { timeout: 30_000, interval: 200 }).toBe('downloading');
        await expect.poll(() => cloud.controls.requests('storage.get').length, { timeout: 30_000 }).toBe(gets + 1);
        await expect.poll(() => leftovers(renders).length, { timeout: 30_000 }).toBe(1);
        // Row 4's video comes whole; its thumbnail's download stalls.
        cloud.controls.inject({ route: 'storage.get', kind: 'stall', afterBytes: 50, skip: 1 });
        cloud.controls.advance(5);
        await expect.poll(() => cloud.controls.requests('storage.get').length, { timeout: 30_000 }).toBe(gets + 3);
        await expect.poll(() => existsSync(join(renders, 'cut-Four.mp4')), { timeout: 30_000 }).toBe(true);
        await expect.poll(() => leftovers(renders).length, { timeout: 30_000 }).toBe(2);
        expect((await current()).items[3].status).toBe('downloading');
        const statuses = (await current()).items.map((i) => i.cloudStatus);
        expect(statuses.slice(4)).toEqual(['rendering', 'queued']);

        await card.locator('[data-testid=job-cancel]').click();
        await card.locator('[data-testid=job-status]', { hasText: /^Cancelled/ }).waitFor({ timeout: 30_000 });
        // What the card shows: three rows done (playable; row 4's video was whole, only its thumbnail
        // was cut), three cancelled, each naming its render and how to resume it.
        await expect.poll(() => card.locator('.job-item.s-done').count()).toBe(3);
        expect(await card.locator('.job-item.s-done [data-testid=item-play]').count()).toBe(3);
        expect(await card.locator('.job-item.s-cancelled').count()).toBe(3);
        const ended = await current();
        expect(ended.status).toBe('cancelled');
        expect(ended.items.map((i) => i.status)).toEqual(['done', 'done', 'cancelled', 'done', 'cancelled', 'cancelled']);
        for (const index of [3, 5, 6]) {
          const item = ended.items[index - 1];
          const text = await card.locator(`.job-item[data-item="${index}"]`).textContent();
          expect(text).toContain('cancelled');
          expect(text).toContain(`framesmith renders get ${item.renderId} --download`);
        }
        expect(await card.locator('.job-item[data-item="3"]').textContent()).toContain('it is finished in the cloud');
        expect(await card.locator('.job-item[data-item="5"]').textContent()).toContain('it keeps rendering in the cloud');
        expect(await card.locator('[data-testid=job-status]').textContent()).toBe('Cancelled · 3 of 6 done');
        // On disk: the finished videos and the thumbnails that came whole; no temp file.
        expect(readdirSync(renders).sort()).toEqual(['cut-Four.mp4', 'cut-One.mp4', 'cut-One.png', 'cut-Two.mp4', 'cut-Two.png']);
        expect(cloud.controls.requests('renders.delete')).toHaveLength(0);
        expect([...cloud.state.renders.values()].filter((r) => r.deleted)).toHaveLength(0);

        // Resume: the three cancelled renders HeyGen has are followed and downloaded under their names; none is submitted again.
        const retry = card.locator('[data-testid=job-retry]');
        expect(await retry.textContent()).toBe('Resume');
        await retry.click();
        await expect
          .poll(async () => (await jobs(s)).find((j) => j.retryOf === job.id)?.status, { timeout: 30_000, interval: 200 })
          .toBe('cloud');
        cloud.controls.advance(3700);
        await expect
          .poll(async () => (await jobs(s)).find((j) => j.retryOf === job.id)?.status, { timeout: 60_000, interval: 200 })
          .toBe('done');
        const resumed = (await jobs(s)).find((j) => j.retryOf === job.id)!;
        expect(resumed.items.map((i) => i.renderId)).toEqual([3, 5, 6].map((i) => ended.items[i - 1].renderId));
        expect(resumed.items.map((i) => i.output)).toEqual(['renders/cut-Three.mp4', 'renders/cut-Five.mp4', 'renders/cut-Six.mp4']);
        await page.locator(`.job[data-job="${resumed.id}"] [data-testid=job-status]`, { hasText: /^Done$/ }).waitFor({ timeout: 30_000 });
      });
      // On disk: every video (whole) and its thumbnail (but row 4's, cut by the cancel), no temp file.
      expect(readdirSync(renders).sort()).toEqual(
        titles
          .flatMap((t) => [`cut-${t}.mp4`, `cut-${t}.png`])
          .filter((n) => n !== 'cut-Four.png')
          .sort(),
      );
      for (const name of titles.map((t) => `cut-${t}.mp4`)) {
        const bytes = readFileSync(join(renders, name));
        expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
        expect(
          execFileSync('ffprobe', [
            '-v',
            'error',
            '-count_frames',
            '-show_entries',
            'stream=nb_read_frames',
            '-of',
            'csv=p=0',
            join(renders, name),
          ])
            .toString()
            .trim(),
        ).toMatch(/^[1-9]\d*$/);
      }
      // HeyGen side, as docs/render-panel.md says: cancelling left the submitted renders on the
      // account (nothing deleted, checked above), and resuming made no new one.
      expect(cloud.controls.requests('renders.create')).toHaveLength(6);
    } finally {
      await s.close();
      await cloud.close();
    }
  });

  test('a cloud batch cancelled while a render is being submitted: that create is let finish so its render is known; later rows are never sent', async () => {
    const cloud = await startFakeHeygen({ apiKeys: [KEY] });
    const cdir = useFixture('dev-basic');
    const s = await createDevServer({
      dir: cdir,
      port: 0,
      studio: { env: { ...process.env, HEYGEN_API_KEY: KEY, HEYGEN_API_URL: cloud.url }, cloudPollMs: 100 },
    });
    try {
      await s.ready;
      // The second create stays in flight for 4 s (HeyGen still creates it afterwards).
      cloud.controls.inject({ route: 'renders.create', kind: 'hold', delayMs: 4000, skip: 1 });
      const rows = ['One', 'Two', 'Three'].map((title, i) => ({ row: i + 1, variables: { title } }));
      const res = await addJob(s, { kind: 'cloud', confirmed: true, rows, name: 'held-{title}', source: 'rows.csv' });
      const job = (await res.json()) as StudioJob;
      await withPreview(s, async (page) => {
        await openPanel(page);
        const card = page.locator(`.job[data-job="${job.id}"]`);
        await expect.poll(() => cloud.controls.requests('renders.create').length, { timeout: 60_000, interval: 100 }).toBe(2);
        await card.locator('[data-testid=job-cancel]').click();
        await card.locator('[data-testid=job-status]', { hasText: /^Cancelled$/ }).waitFor({ timeout: 30_000 });
        const ended = (await jobs(s)).find((j) => j.id === job.id)!;
        expect(ended.items.map((i) => i.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
        // HeyGen creates a render whose request it received: the cancel waits for its id rather than lose it.
        expect(ended.items.map((i) => Boolean(i.renderId))).toEqual([true, true, false]);
        const text = await card.textContent();
        expect(text).toContain(`2 renders keep rendering in the cloud (${ended.items[0].renderId}, ${ended.items[1].renderId})`);
        expect(text).toContain(`framesmith renders get ${ended.items[1].renderId} --download`);
        // Row 3 was never submitted: the button renders it again (and asks first), it does not only resume.
        expect(await card.locator('[data-testid=job-retry]').textContent()).toBe('Retry');
      });
      expect(cloud.state.renders.size).toBe(2);
      expect(cloud.controls.requests('renders.create')).toHaveLength(2);
      expect(existsSync(join(cdir, 'renders')) ? leftovers(join(cdir, 'renders')) : []).toEqual([]);
    } finally {
      await s.close();
      await cloud.close();
    }
  });

  test('the dataset view submits the selected rows to HeyGen: asked once, one upload, one render per row', async () => {
    const created = fake.controls.requests('renders.create').length;
    const uploads = () => fake.controls.requests('assets.directUpload').length + fake.controls.requests('assets.upload').length;
    const uploadsBefore = uploads();
    await withPreview(server, async (page) => {
      await page.click('[data-testid=open-dataset]');
      await page.evaluate(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['title,boxColor\nAlpha,#00ff00\nBeta,#0000ff\nGamma,#ffff00\n'], 'people.csv', { type: 'text/csv' }));
        for (const type of ['dragenter', 'dragover', 'drop'])
          window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      await expect.poll(() => page.locator('.ds-source').textContent()).toBe('people.csv · 3 rows');
      await page.locator('.ds-row[data-row="1"] input[type=checkbox]').check();
      await page.locator('.ds-row[data-row="3"] input[type=checkbox]').check();
      await page.click('[data-testid=dataset-render-cloud]');
      const summary = page.locator('[data-testid=cost-summary]');
      await summary.waitFor();
      expect(await summary.textContent()).toContain('2.0 s each · 4.0 s of video in all');
      expect(await page.locator('[data-testid=submit-cloud]').textContent()).toBe('Submit 2 renders');
      await page.click('[data-testid=submit-cloud]');
      await expect.poll(() => page.locator('.toast').last().textContent()).toBe('2 renders queued: see the render panel');
    });
    const job = (await jobs(server)).find((j) => j.title.includes('people.csv'))!;
    expect(job).toBeTruthy();
    await expect
      .poll(async () => (await jobs(server)).find((j) => j.id === job.id)?.status, { timeout: 60_000, interval: 250 })
      .toBe('done');
    const done = (await jobs(server)).find((j) => j.id === job.id)!;
    expect(done.kind).toBe('cloud');
    expect(done.items.map((i) => i.output)).toEqual(['renders/people-1.mp4', 'renders/people-3.mp4']);
    for (const i of done.items) expect(statSync(join(dir, i.output!)).size).toBeGreaterThan(0);
    expect(fake.controls.requests('renders.create').length - created).toBe(2);
    expect(uploads() - uploadsBefore).toBe(1);
    // Each render got its row's values.
    const bodies = [...fake.state.renders.values()].slice(-2).map((r) => JSON.stringify(r.body));
    expect(bodies.some((b) => b.includes('Alpha'))).toBe(true);
    expect(bodies.some((b) => b.includes('Gamma'))).toBe(true);
    expect(bodies.some((b) => b.includes('Beta'))).toBe(false);
  });
});
