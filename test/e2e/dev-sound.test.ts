/**
 * Sound in the preview, measured where the user hears it (the level after the master volume):
 * a 440 Hz tone placed at 1–2 s plays while the playhead is inside it and only then, in step with
 * the picture; data-volume halves it; muted audio and a video without data-has-audio stay silent;
 * pausing, stepping and playing backward are silent; mute and the volume slider act on top; a
 * file that cannot be decoded is one problem entry and playback goes on with the others.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import type { DevServer } from '../../src/dev/index.js';
import { tempDir } from '../helpers/fixtures.js';
import { startDev, waitFrame, waitUpdates } from './dev-helpers.js';

let browser: LaunchedBrowser;
let server: DevServer;

function project(): string {
  const dir = tempDir();
  const run = (args: string[]) => {
    const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  run(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1:sample_rate=48000', '-ac', '2', join(dir, 'tone.wav')]);
  run([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=160x90:rate=30:duration=1',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=1',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    join(dir, 'clip.mp4'),
  ]);
  // Not audio at all: the bytes of a text file with an audio name.
  writeFileSync(join(dir, 'broken.mp3'), 'this is not an mp3 file\n'.repeat(200));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>
<html><head><meta charset="utf-8"></head>
<body>
<div id="root" data-composition-id="main" data-width="320" data-height="180" data-start="0" data-duration="4" data-fps="30" data-no-timeline style="background:#123">
  <div id="box" class="clip" data-start="0" data-duration="4" style="position:absolute;left:10px;top:10px;width:50px;height:50px;background:red"></div>
  <audio id="tone" class="clip" src="tone.wav" data-start="1" data-duration="1" data-track-index="1"></audio>
  <audio id="quiet" class="clip" src="tone.wav" data-start="2.5" data-duration="0.5" data-track-index="2" data-volume="0.5"></audio>
  <audio id="off" class="clip" src="tone.wav" data-start="3.2" data-duration="0.6" data-track-index="3" muted></audio>
  <video id="silent" class="clip" src="clip.mp4" data-start="3.2" data-duration="0.6" data-track-index="4" muted style="position:absolute;right:0;bottom:0;width:160px;height:90px"></video>
  <audio id="bad" class="clip" src="broken.mp3" data-start="0" data-duration="1" data-track-index="5"></audio>
</div>
</body></html>
`,
  );
  return dir;
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startDev(project())]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(): Promise<Page> {
  const context = await browser.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}?frame=0`);
  await waitUpdates(page, 1);
  await page.evaluate(() => window.__framesmithDev.sound.ready());
  return page;
}

/**
 * Samples (frame due, output level) every `every` ms for `ms`. The frame due is the playhead's,
 * which the sound follows; on a busy machine the painted frame may trail it by a seek.
 */
function sample(page: Page, ms: number, every = 40): Promise<[number, number][]> {
  return page.evaluate(
    ([ms, every]) =>
      new Promise<[number, number][]>((resolve) => {
        const out: [number, number][] = [];
        const t0 = performance.now();
        const tick = () => {
          const dev = window.__framesmithDev;
          out.push([dev.state().frame, dev.sound.level()]);
          if (performance.now() - t0 < ms) setTimeout(tick, every);
          else resolve(out);
        };
        tick();
      }),
    [ms, every] as const,
  );
}

const during = (s: [number, number][], from: number, to: number) => s.filter(([f]) => f >= from && f <= to).map(([, l]) => l);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
/** The samples, for a failure message. */
const show = (s: [number, number][]) => s.map(([f, l]) => `${f}:${l.toFixed(3)}`).join(' ');

describe('sound', () => {
  test('plays in step with the picture, only inside its clip, at its data-volume; muted audio and silent video stay silent', async () => {
    const page = await open();
    try {
      expect(await page.locator('.sound-note').textContent()).toBe('');
      await page.keyboard.press('Space');
      const s = await sample(page, 4300);
      await page.waitForFunction(() => window.__framesmithDev.state().playing === null);
      // Before the tone, during it, after it (with slack for the output's latency on a busy machine).
      expect(Math.max(...during(s, 0, 24)), show(s)).toBeLessThan(0.003);
      const loud = during(s, 36, 54);
      expect(loud.length, show(s)).toBeGreaterThan(6);
      expect(median(loud), show(s)).toBeGreaterThan(0.03);
      expect(Math.max(...during(s, 66, 72)), show(s)).toBeLessThan(0.003);
      // data-volume="0.5": half the level (a loaded machine samples sparsely: two samples will do,
      // judged by their median against the loud part's).
      const quiet = during(s, 78, 87);
      expect(quiet.length, show(s)).toBeGreaterThan(1);
      expect(median(quiet) / median(loud), show(s)).toBeGreaterThan(0.4);
      expect(median(quiet) / median(loud), show(s)).toBeLessThan(0.6);
      // <audio muted> and a <video> without data-has-audio="true" (it has a sound track): silent.
      expect(Math.max(...during(s, 100, 112)), show(s)).toBeLessThan(0.003);
    } finally {
      await page.context().close();
    }
  });

  test('silent when paused, stepping or playing backward, short grains while dragging the playhead; mute and the volume slider apply on top', async () => {
    const page = await open();
    try {
      // Paused inside the tone, and stepping through it with the arrow keys: silence.
      await page.evaluate(() => window.__framesmithDev.seek(40));
      await waitFrame(page, 40);
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
      await waitFrame(page, 45);
      expect(Math.max(...(await sample(page, 300)).map(([, l]) => l))).toBeLessThan(0.003);
      // Dragging the playhead across the tone plays short grains of it.
      const lanes = (await page.locator('.tl-layer').boundingBox())!;
      const x = (t: number) => page.evaluate((tt) => window.__framesmithDev.timeline.xOfTime(tt), t);
      const y = lanes.y + 10;
      const grains = sample(page, 900, 15);
      await page.mouse.move(await x(1.05), y);
      await page.mouse.down();
      for (let i = 1; i <= 16; i++) {
        await page.mouse.move(await x(1.05 + i * 0.05), y);
        await page.waitForTimeout(40);
      }
      await page.mouse.up();
      expect(Math.max(...(await grains).map(([, l]) => l))).toBeGreaterThan(0.01);
      await page.waitForTimeout(200);
      expect(Math.max(...(await sample(page, 200)).map(([, l]) => l))).toBeLessThan(0.003);
      // Backward (J): silence.
      await page.keyboard.press('j');
      expect(Math.max(...(await sample(page, 400)).map(([, l]) => l))).toBeLessThan(0.003);
      await page.keyboard.press('k');

      const playTone = async () => {
        await page.evaluate(() => window.__framesmithDev.seek(32));
        await waitFrame(page, 32);
        await page.keyboard.press('Space');
        const s = await sample(page, 500);
        await page.keyboard.press('Space');
        return median(during(s, 35, 56));
      };
      const full = await playTone();
      expect(full).toBeGreaterThan(0.03);
      // M mutes; the button says so.
      await page.keyboard.press('m');
      expect(await page.locator('button.mute').getAttribute('aria-pressed')).toBe('true');
      expect(await playTone()).toBeLessThan(0.003);
      await page.locator('button.mute').click();
      // The slider at about half.
      const slider = (await page.locator('input.volume').boundingBox())!;
      await page.mouse.click(slider.x + slider.width * 0.5, slider.y + slider.height / 2);
      await expect.poll(() => page.evaluate(() => window.__framesmithDev.state().volume)).toBeCloseTo(0.5, 1);
      const half = await playTone();
      expect(half / full).toBeGreaterThan(0.35);
      expect(half / full).toBeLessThan(0.65);
    } finally {
      await page.context().close();
    }
  });

  test('a file that cannot be decoded is one problem entry; playback goes on with the other sounds', async () => {
    const page = await open();
    try {
      const status = await page.evaluate(() => window.__framesmithDev.sound.status());
      expect(status[`${server.origin}/broken.mp3`]).toBe('failed');
      expect(status[`${server.origin}/tone.wav`]).toBe('ready');
      const problems = await page.evaluate(() => window.__framesmithDev.problems());
      const about = problems.filter((p) => /broken\.mp3/.test(p.message));
      expect(about).toHaveLength(1);
      expect(about[0].severity).toBe('error');
      expect(about[0].loc).toMatchObject({ file: 'index.html', line: 10 });
      await page.locator('.problems-badge').click();
      expect(await page.locator('.problems-popover').innerText()).toMatch(/broken\.mp3[\s\S]*the preview plays on without it/);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Home');
      await page.keyboard.press('Space');
      const s = await sample(page, 2100);
      expect(Math.max(...s.map(([f]) => f))).toBeGreaterThan(50);
      expect(median(during(s, 36, 50)), show(s)).toBeGreaterThan(0.03);
    } finally {
      await page.context().close();
    }
  });
});
