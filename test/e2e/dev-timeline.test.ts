/**
 * The preview's timeline in a real Chromium, used with the real mouse: a row per composition at
 * every nesting depth (collapsible) with the live GSAP tweens and labels, clips on their tracks,
 * hover details, double-click to set in/out (the real mouse: not a synthetic event), Ctrl+wheel
 * and slider zoom, the view following the playhead, waveforms and video thumbnails on media
 * clips, the server-made filmstrip, and clips whose duration is zero or negative.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import type { DevServer } from '../../src/dev/index.js';
import { useFixture } from '../helpers/fixtures.js';
import { PNG } from '../helpers/png.js';
import { spawnDev, startDev, viewState, waitFrame, waitUpdates } from './dev-helpers.js';

let browser: LaunchedBrowser;
let server: DevServer;

/** The fixture with its media made by ffmpeg: a 3 s tone and a 3 s test pattern. */
export function timelineFixture(): string {
  const dir = useFixture('dev-timeline');
  mkdirSync(join(dir, 'media'), { recursive: true });
  const run = (args: string[]) => {
    const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  run(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-ac', '2', join(dir, 'media', 'tone.wav')]);
  run([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=30:duration=3',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    join(dir, 'media', 'clip.mp4'),
  ]);
  return dir;
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startDev(timelineFixture())]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A 1600×1000 window with a tall timeline; the frame is given so the first open does not search. */
async function open(query = '?frame=0'): Promise<Page> {
  const context = await browser.browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addInitScript(() => localStorage.setItem('framesmith.dev.view', JSON.stringify({ zoom: 'fit', timelineHeight: 520 })));
  const page = await context.newPage();
  await page.goto(`${server.url}${query}`);
  await waitUpdates(page, 1);
  // The live description arrives with the first load; the tweens make it visible.
  await expect.poll(() => page.evaluate(() => window.__framesmithDev.timelineStats().tweens)).toBe(5);
  return page;
}

async function withPage(fn: (page: Page) => Promise<void>, query?: string): Promise<void> {
  const page = await open(query);
  try {
    await fn(page);
  } finally {
    await page.context().close();
  }
}

/** Calls the preview timeline's test function `fn` (preview/timeline.ts `debug()`). */
const dev = <T>(page: Page, fn: keyof Window['__framesmithDev']['timeline'], ...args: unknown[]): Promise<T> =>
  page.evaluate(([f, a]) => (window.__framesmithDev.timeline[f] as (...x: unknown[]) => unknown)(...a), [fn, args] as const) as Promise<T>;

async function hover(page: Page, point: { x: number; y: number } | null): Promise<string> {
  expect(point).not.toBeNull();
  await page.mouse.move(point!.x, point!.y);
  await expect.poll(() => page.locator('.tl-tooltip').isVisible()).toBe(true);
  return (await page.locator('.tl-tooltip').innerText()).replace(/\s+/g, ' ');
}

/** The timeline's canvas as the user sees it. */
async function timelinePng(page: Page): Promise<{ png: PNG; box: { x: number; y: number; width: number; height: number } }> {
  const box = (await page.locator('.tl-layer').boundingBox())!;
  return { png: PNG.decode(await page.locator('.tl-layer').screenshot()), box };
}

describe('rows', () => {
  test('every composition at every depth has a row with its live tweens and labels, and its clips on their tracks', async () => {
    await withPage(async (page) => {
      const names = await page.locator('.tl-label:not([hidden]) .tl-name').allTextContents();
      expect(names).toEqual(['main', 'T0', 'T1', 'T2', 'T3', 'T4', '·', '#scene', 'T0', 'T1', '#badge', 'T0']);
      const comps = await dev<{ key: string; tweens: number; labels: string[]; depth: number }[]>(page, 'comps');
      expect(comps.map((c) => [c.key, c.depth, c.tweens, c.labels])).toEqual([
        ['', 0, 3, ['intro', 'outro']],
        ['scene', 1, 1, ['beat']],
        ['scene/badge', 2, 1, []],
      ]);
      // Tweens of each depth, hovered where they are drawn, in root time.
      expect(await hover(page, await dev(page, 'tweenPoint', '', '#box'))).toMatch(
        /#box gsap to .*animates rotation start 0\.50 s \(f 15\) duration 2\.00 s/,
      );
      expect(await hover(page, await dev(page, 'tweenPoint', 'scene', '#scene-title'))).toMatch(
        /#scene-title gsap from timeline #scene animates y, opacity start 2\.00 s/,
      );
      expect(await hover(page, await dev(page, 'tweenPoint', 'scene/badge', '#badge-dot'))).toMatch(
        /#badge-dot gsap to timeline #badge animates scale start 3\.25 s \(f 98\)/,
      );
      // A clip of the nested composition, in root time, with its file:line.
      expect(await hover(page, await dev(page, 'itemPoint', '#badge-dot'))).toMatch(
        /#badge-dot element file compositions\/badge\.html:3 start 3\.00 s \(f 90\) duration 1\.50 s/,
      );
    });
  });

  test('a sub-composition collapses to its row and expands again', async () => {
    await withPage(async (page) => {
      await page.locator('.tl-fold[aria-label="Collapse #scene"]').click();
      await expect
        .poll(() => page.locator('.tl-label:not([hidden]) .tl-name').allTextContents())
        .toEqual(['main', 'T0', 'T1', 'T2', 'T3', 'T4', '·', '#scene']);
      expect(await dev(page, 'itemPoint', '#scene-title')).toBeNull();
      await page.locator('.tl-fold[aria-label="Expand #scene"]').click();
      await expect.poll(() => page.locator('.tl-label:not([hidden]) .tl-name').count()).toBe(12);
    });
  });

  test('hovering a clip shows its id, file:line, start and duration', async () => {
    await withPage(async (page) => {
      expect(await hover(page, await dev(page, 'itemPoint', '#box'))).toMatch(
        /^#box element file index\.html:18 start 0\.50 s \(f 15\) duration 2\.50 s \(75 f\)/,
      );
      expect(await hover(page, await dev(page, 'itemPoint', '#music'))).toMatch(
        /#music audio file index\.html:20 start 1\.00 s .* sound volume 50%/,
      );
      expect(await hover(page, await dev(page, 'itemPoint', '#scene'))).toMatch(/#scene sub-composition file index\.html:22 start 2\.00 s/);
      await page.mouse.move(5, 5);
      await expect.poll(() => page.locator('.tl-tooltip').isVisible()).toBe(false);
    });
  });
});

describe('mouse', () => {
  test('a real double-click on a clip makes its span the in/out range; on a tween, the tween’s', async () => {
    await withPage(async (page) => {
      const box = (await dev<{ x: number; y: number }>(page, 'itemPoint', '#box'))!;
      await page.mouse.dblclick(box.x, box.y);
      await expect.poll(() => page.locator('.range-readout').textContent()).toBe('15–89');
      expect(await page.locator('.timeline').getAttribute('class')).toContain('has-range');
      // The shade covers what is outside: its left edge is the clip's start.
      const shade = (await page.locator('.tl-shade').first().boundingBox())!;
      expect(Math.abs(shade.x + shade.width - (await dev<number>(page, 'xOfTime', 0.5)))).toBeLessThan(2);

      const tween = (await dev<{ x: number; y: number }>(page, 'tweenPoint', 'scene', '#scene-title'))!;
      await page.mouse.dblclick(tween.x, tween.y);
      await expect.poll(() => page.locator('.range-readout').textContent()).toBe('60–83');
      const s = await viewState(page);
      expect([s.inFrame, s.outFrame]).toEqual([60, 83]);
    });
  });

  test('Ctrl+wheel zooms around the pointer, the slider zooms, Fit shows everything; playback follows the playhead', async () => {
    await withPage(async (page) => {
      const fit = await dev<number>(page, 'pixelsPerSecond');
      const x = await dev<number>(page, 'xOfTime', 2);
      const layer = (await page.locator('.tl-layer').boundingBox())!;
      await page.mouse.move(x, layer.y + 200);
      await page.keyboard.down('Control');
      for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -200);
      await page.keyboard.up('Control');
      await expect.poll(() => dev<number>(page, 'pixelsPerSecond')).toBeGreaterThan(fit * 3);
      // The time under the pointer stayed under it.
      expect(Math.abs((await dev<number>(page, 'xOfTime', 2)) - x)).toBeLessThan(3);

      await page.locator('.timeline button', { hasText: 'Fit' }).click();
      await expect.poll(() => dev<number>(page, 'pixelsPerSecond')).toBeCloseTo(fit, 3);

      // The slider, dragged with the mouse to its far end, zooms in all the way.
      const slider = (await page.locator('.tl-zoom').boundingBox())!;
      await page.mouse.move(slider.x + 4, slider.y + slider.height / 2);
      await page.mouse.down();
      await page.mouse.move(slider.x + slider.width - 2, slider.y + slider.height / 2, { steps: 5 });
      await page.mouse.up();
      await expect.poll(() => dev<number>(page, 'pixelsPerSecond')).toBeGreaterThan(fit * 5);

      // Playing from the start: the view turns its pages with the playhead.
      await page.keyboard.press('Home');
      await page.keyboard.press('Space');
      await page.waitForFunction(() => window.__framesmithDev.shown() >= 50, null, { timeout: 15_000 });
      await page.keyboard.press('Space');
      await expect.poll(() => dev<number>(page, 'scrollLeft')).toBeGreaterThan(0);
      const head = (await page.locator('.tl-playhead').boundingBox())!;
      const lanes = (await page.locator('.tl-layer').boundingBox())!;
      expect(await page.locator('.tl-playhead').isVisible()).toBe(true);
      expect(head.x).toBeGreaterThan(lanes.x + 172);
      expect(head.x).toBeLessThan(lanes.x + lanes.width);
    });
  });

  test('dragging along the ruler scrubs', async () => {
    await withPage(async (page) => {
      const y = (await page.locator('.tl-layer').boundingBox())!.y + 10;
      await page.mouse.move(await dev<number>(page, 'xOfTime', 1), y);
      await page.mouse.down();
      await page.mouse.move((await dev<number>(page, 'xOfTime', 2)) + 1, y, { steps: 4 });
      await page.mouse.up();
      await waitFrame(page, 60);
    });
  });
});

describe('media and filmstrip', () => {
  test('the audio clip shows its waveform, the video clip its frames, the filmstrip the composition', async () => {
    await withPage(async (page) => {
      await expect
        .poll(() => page.evaluate(() => window.__framesmithDev.sound.status()), { timeout: 15_000 })
        .toEqual({ [`${server.origin}/media/tone.wav`]: 'ready' });
      await expect.poll(() => page.evaluate(() => window.__framesmithDev.videoThumbBytes()), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.evaluate(() => window.__framesmithDev.filmstrip().current), { timeout: 30_000 }).toBeGreaterThan(3);
      await page.waitForTimeout(300);
      const { png, box } = await timelinePng(page);
      const at = (p: { x: number; y: number }) => png.pixel(Math.round(p.x - box.x), Math.round(p.y - box.y));
      const lum = (px: number[]) => 0.3 * px[0] + 0.59 * px[1] + 0.11 * px[2];

      // Waveform: bright through the middle of the clip, the clip's dark fill near its top.
      const music = (await dev<{ x: number; y: number }>(page, 'itemPoint', '#music'))!;
      expect(lum(at({ x: music.x, y: music.y + 2 }))).toBeGreaterThan(110);
      expect(lum(at({ x: music.x, y: music.y - 12 }))).toBeLessThan(90);

      // Video: many colours (the test pattern), not one fill.
      const clip = (await dev<{ x: number; y: number }>(page, 'itemPoint', '#clip'))!;
      const colours = new Set<string>();
      for (let dx = -60; dx <= 60; dx += 4)
        colours.add(
          at({ x: clip.x + dx, y: clip.y + 3 })
            .slice(0, 3)
            .join(','),
        );
      expect(colours.size).toBeGreaterThan(8);

      // Filmstrip: the composition's background colour (#1d3557) appears in the strip.
      const filmY = box.y + 22 + 20;
      let found = 0;
      for (let x = box.x + 200; x < box.x + box.width - 20; x += 7) {
        const px = at({ x, y: filmY });
        if (Math.abs(px[0] - 0x1d) < 14 && Math.abs(px[1] - 0x35) < 14 && Math.abs(px[2] - 0x57) < 14) found++;
      }
      expect(found).toBeGreaterThan(10);
    });
  });
});

describe('filmstrip without a browser', () => {
  test('the strip says why it is empty; everything else works', async () => {
    const dev = await spawnDev([timelineFixture(), '--port', '0'], { FRAMESMITH_BROWSER: '/nonexistent/chromium' });
    const context = await browser.browser.newContext({ viewport: { width: 1600, height: 1000 } });
    try {
      const page = await context.newPage();
      await page.goto(`${dev.url}?frame=0`);
      await waitUpdates(page, 1);
      await expect
        .poll(() => page.evaluate(() => window.__framesmithDev.filmstrip().error), { timeout: 20_000 })
        .toMatch(/^No filmstrip: FRAMESMITH_BROWSER points to \/nonexistent\/chromium, which is not an executable file\.$/);
      const p = await page.evaluate(() => window.__framesmithDev.timeline.itemPoint('#box'));
      await page.mouse.dblclick(p!.x, p!.y);
      await expect.poll(() => page.locator('.range-readout').textContent()).toBe('15–89');
    } finally {
      await context.close();
      dev.child.kill('SIGINT');
      await dev.exit;
    }
  });
});

describe('tweens made later', () => {
  test('a tween a script adds while playing shows on the timeline once playback stops', async () => {
    const context = await browser.browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}?composition=late.html&frame=0`);
      await waitUpdates(page, 1);
      // The tween and the call are there from the start; the late tween is not.
      await expect.poll(() => page.evaluate(() => window.__framesmithDev.timelineStats().tweens)).toBe(2);
      await page.keyboard.press('Space');
      await page.waitForFunction(() => window.__framesmithDev.shown() > 40);
      await page.keyboard.press('Space');
      expect((await viewState(page)).playing).toBeNull();
      await expect.poll(() => page.evaluate(() => window.__framesmithDev.timelineStats().tweens), { timeout: 10_000 }).toBe(3);
      // It is drawn where the script put it (2–2.5 s, on the lane of the first #box tween), with its details on hover.
      const first = (await dev<{ x: number; y: number }>(page, 'tweenPoint', '', '#box'))!;
      const tip = await hover(page, { x: await dev<number>(page, 'xOfTime', 2.25), y: first.y });
      expect(tip).toMatch(/#box gsap to timeline main animates y start 2\.00 s \(f 60\) duration 0\.50 s/);
    } finally {
      await context.close();
    }
  });
});

describe('bad input', () => {
  test('clips of zero and negative duration are marked and explained; nothing breaks', async () => {
    const page = await open('?composition=durations.html&frame=0');
    try {
      const flash = await hover(page, await dev(page, 'itemPoint', '#flash'));
      expect(flash).toMatch(
        /#flash element .* duration zero duration: HeyGen's renderer reads it as no length \(shown to the end of its composition\)/,
      );
      const oops = await hover(page, await dev(page, 'itemPoint', '#oops'));
      expect(oops).toMatch(/#oops element .* duration negative duration \(-1\.00 s\): HeyGen's renderer reads it as no length/);
      // The rest of the timeline still works.
      const box = (await dev<{ x: number; y: number }>(page, 'itemPoint', '#box'))!;
      await page.mouse.dblclick(box.x, box.y);
      await expect.poll(() => page.locator('.range-readout').textContent()).toBe('15–89');
    } finally {
      await page.context().close();
    }
  });
});

/** Pid → parent pid, nice value and command line of every process (Linux /proc). */
function processTable(): Map<number, { ppid: number; nice: number; cmd: string }> {
  const table = new Map<number, { ppid: number; nice: number; cmd: string }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(d), {
        ppid: Number(f[1]),
        nice: Number(f[16]),
        cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '),
      });
    } catch {
      /* gone meanwhile */
    }
  }
  return table;
}

/** `pid` and every process under it. */
function family(pid: number): number[] {
  const table = processTable();
  const out = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, { ppid }] of table) {
      if (!out.has(p) && out.has(ppid)) {
        out.add(p);
        grew = true;
      }
    }
  }
  return [...out].filter((p) => table.has(p));
}

describe.runIf(process.platform === 'linux')('the filmstrip capture process', () => {
  test('runs with its Chromium at the lowest priority, and ends with the server even when the server is killed', async () => {
    const dev = await spawnDev([timelineFixture(), '--port', '0']);
    const context = await browser.browser.newContext({ viewport: { width: 1600, height: 1000 } });
    let worker = 0;
    try {
      const page = await context.newPage();
      await page.goto(`${dev.url}?frame=0`);
      await waitUpdates(page, 1);
      await expect.poll(() => page.evaluate(() => window.__framesmithDev.filmstrip().current), { timeout: 30_000 }).toBeGreaterThan(3);
      const table = processTable();
      worker = [...table].find(([, p]) => p.ppid === dev.child.pid && p.cmd.includes('filmstrip-worker'))?.[0] ?? 0;
      expect(worker, 'a capture process under the dev server').toBeGreaterThan(0);
      const members = family(worker);
      expect(
        members.some((p) => /chrom/i.test(table.get(p)?.cmd ?? '')),
        'its Chromium runs under it',
      ).toBe(true);
      // The dev server itself keeps its priority; the capture family has the lowest.
      expect(table.get(dev.child.pid!)!.nice).toBe(table.get(process.pid)!.nice);
      for (const p of members) if (table.has(p)) expect(table.get(p)!.nice, table.get(p)!.cmd.slice(0, 80)).toBe(19);
      // A crashed server (SIGKILL: no clean-up of its own) leaves nothing behind.
      dev.child.kill('SIGKILL');
      await dev.exit;
      await expect.poll(() => family(worker).length, { timeout: 20_000 }).toBe(0);
    } finally {
      await context.close();
      if (dev.child.exitCode === null && dev.child.signalCode === null) dev.child.kill('SIGKILL');
    }
  });
});
