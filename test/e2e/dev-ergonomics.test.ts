/**
 * The preview's ergonomics in a real Chromium: where it opens (the first frame with something
 * drawn, then the frame last looked at in this project), fullscreen with F, zoom presets, fit
 * width and a typed zoom, platform safe zones with their labels outside the picture, a portrait
 * picture that gets the window's height, and sub-composition instance values edited in place and
 * copied as an attribute.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import type { DevServer } from '../../src/dev/index.js';
import { useFixture } from '../helpers/fixtures.js';
import { startDev, updateCount, waitFrame, waitUpdates } from './dev-helpers.js';

let browser: LaunchedBrowser;
let server: DevServer;

beforeAll(async () => {
  const dir = useFixture('dev-basic');
  const index = readFileSync(join(dir, 'index.html'), 'utf8');
  // Nothing drawn until the title fades in from 0.5 s.
  writeFileSync(
    join(dir, 'fade.html'),
    `<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="root" data-composition-id="main" data-width="640" data-height="360" data-start="0" data-duration="2" data-fps="30" style="background:#102030">
  <h1 id="title" class="clip" data-start="0" data-duration="2" style="color:#fff;font:700 40px sans-serif;margin:40px">Hello</h1>
</div>
<script src="vendor/gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  tl.fromTo('#title', { opacity: 0 }, { opacity: 1, duration: 0.5 }, 0.5);
  window.__timelines = { main: tl };
</script>
</body></html>
`,
  );
  writeFileSync(join(dir, 'tall.html'), index.replace('data-width="640" data-height="360"', 'data-width="360" data-height="640"'));
  writeFileSync(join(dir, 'square.html'), index.replace('data-width="640" data-height="360"', 'data-width="480" data-height="480"'));
  [browser, server] = await Promise.all([launchBrowser(), startDev(dir)]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function context(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  return browser.browser.newContext({ viewport });
}

async function open(ctx: BrowserContext, query = ''): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${server.url}${query}`);
  await waitUpdates(page, 1);
  return page;
}

const box = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())!;

describe('where it opens', () => {
  test('the first time on the first frame with something drawn, then on the frame last looked at', async () => {
    const ctx = await context();
    try {
      let page = await open(ctx, '?composition=fade.html');
      // Frame 15 (0.5 s) is still fully transparent; frame 16 is the first with the title.
      expect(await page.evaluate(() => window.__framesmithDev.shown())).toBe(16);
      expect(await page.locator('[data-testid=frame]').textContent()).toMatch(/f\s+16/);
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await waitFrame(page, 36);
      // Remembered once paused (a moment later).
      await page.waitForTimeout(500);
      await page.close();
      page = await open(ctx, '?composition=fade.html');
      expect(await page.evaluate(() => window.__framesmithDev.shown())).toBe(36);
      // Another entry of the project has its own frame: it opens on its first drawn frame.
      const other = await open(ctx, '?composition=index.html');
      expect(await other.evaluate(() => window.__framesmithDev.shown())).toBe(0);
    } finally {
      await ctx.close();
    }
  });
});

describe('seeing the picture', () => {
  test('F shows the picture fullscreen and keys still work there; F again leaves', async () => {
    const ctx = await context();
    try {
      const page = await open(ctx, '?frame=0');
      const small = (await box(page, '.frame-box')).height;
      await page.keyboard.press('f');
      await expect.poll(() => page.evaluate(() => document.fullscreenElement?.classList.contains('stage') ?? false)).toBe(true);
      // The picture fills the screen, edge to edge on its limiting side.
      const screen = await page.evaluate(() => ({
        w: document.fullscreenElement!.clientWidth,
        h: document.fullscreenElement!.clientHeight,
      }));
      await expect.poll(async () => (await box(page, '.frame-box')).width).toBeCloseTo(Math.min(screen.w, (screen.h * 640) / 360), 0);
      expect((await box(page, '.frame-box')).height).toBeGreaterThan(small);
      await page.keyboard.press('ArrowRight');
      await waitFrame(page, 1);
      await page.keyboard.press('f');
      await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
    } finally {
      await ctx.close();
    }
  });

  test('zoom presets, fit width, a typed zoom and +/- keys', async () => {
    const ctx = await context();
    try {
      const page = await open(ctx, '?frame=0');
      const preset = async (name: string | RegExp) => {
        await page.locator('button[aria-label="Zoom presets"]').click();
        await page.locator('.zoom-menu .menu-item', { hasText: name }).click();
      };
      await preset('200%');
      await expect.poll(async () => (await box(page, '.frame-box')).width).toBeCloseTo(1280, 0);
      expect(await page.locator('.zoom-input').inputValue()).toBe('200%');
      await page.locator('.zoom-input').fill('75');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await box(page, '.frame-box')).width).toBeCloseTo(480, 0);
      // Something that is not a zoom is refused, and the zoom stays.
      await page.locator('.zoom-input').fill('huge');
      await page.keyboard.press('Enter');
      expect(await page.locator('.zoom-input').getAttribute('class')).toContain('invalid');
      await page.keyboard.press('Escape');
      expect((await box(page, '.frame-box')).width).toBeCloseTo(480, 0);
      await preset('Fit width');
      const stage = await box(page, '.stage');
      await expect.poll(async () => (await box(page, '.frame-box')).width).toBeCloseTo(stage.width - 32, 0);
      await page.keyboard.press('-');
      await expect.poll(async () => (await box(page, '.frame-box')).width).toBeCloseTo((stage.width - 32) * 0.8, 0);
      await page.keyboard.press('0');
      await expect.poll(() => page.locator('.zoom-input').inputValue()).toMatch(/^Fit \d+%$/);
    } finally {
      await ctx.close();
    }
  });

  test('a portrait picture in a 1280×720 window gets the window’s height', async () => {
    const ctx = await context({ width: 1280, height: 720 });
    try {
      const page = await open(ctx, '?composition=tall.html&frame=0');
      await expect.poll(async () => (await box(page, '.frame-box')).height).toBeGreaterThan(600);
      expect((await box(page, '.frame-box')).width).toBeGreaterThan(340);
      // The timeline sits beside it, with its rows.
      const timeline = await box(page, '.timeline');
      expect(timeline.x).toBeGreaterThan((await box(page, '.frame-box')).x + 340);
      expect(await page.locator('.tl-label:not([hidden]) .tl-name').allTextContents()).toEqual(['main', 'T1', 'T2']);
    } finally {
      await ctx.close();
    }
  });
});

describe('the top bar', () => {
  /** What the bar shows: the visible fact chips' text, and whether anything is cut (a chip, a button, the status dot past the bar's edge). */
  const bar = (page: Page) =>
    page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('.topbar')!;
      const right = el.getBoundingClientRect().right + 0.5;
      const shown = (e: Element) => (e as HTMLElement).offsetParent !== null;
      const cut = [...el.querySelectorAll('.topbar > *, .facts .chip, .status')]
        .filter((e) => shown(e) && (e.getBoundingClientRect().right > right || e.scrollWidth > e.clientWidth + 1))
        .map((e) => `${e.className}: ${e.textContent}`);
      return {
        chips: [...el.querySelectorAll('.facts .chip')].filter(shown).map((c) => c.textContent),
        overflows: el.scrollWidth > el.clientWidth,
        cut,
        statusShown: shown(el.querySelector('.status')!),
      };
    });

  test('with the render drawer open at 1440 px it folds whole chips instead of cutting them; closing it brings them back', async () => {
    const ctx = await context({ width: 1440, height: 900 });
    const page = await open(ctx);
    try {
      await expect.poll(async () => (await bar(page)).chips).toEqual(['640×360', '16:9', '30 fps', '2s']);
      expect((await bar(page)).cut).toEqual([]);
      await page.click('[data-testid=open-render]');
      await page.waitForSelector('[data-testid=render-panel]:not([hidden])');
      await expect.poll(async () => (await bar(page)).chips).toEqual(['640×360']);
      const open1440 = await bar(page);
      expect(open1440.overflows).toBe(false);
      expect(open1440.cut).toEqual([]);
      expect(open1440.statusShown).toBe(true);
      // The folded facts are still in the composition picker's title.
      expect(await page.locator('.picker-button').getAttribute('title')).toContain('640×360, 16:9, 30 fps, 2s');
      await page.click('[data-testid=open-render]');
      await expect.poll(async () => (await bar(page)).chips).toEqual(['640×360', '16:9', '30 fps', '2s']);
      // Narrower still (1280 px with the drawer): icons replace the Render/Dataset labels; nothing is cut.
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.click('[data-testid=open-render]');
      await expect.poll(async () => (await bar(page)).overflows).toBe(false);
      expect((await bar(page)).cut).toEqual([]);
      expect(await page.locator('[data-testid=open-render]').getAttribute('title')).toContain('Render');
    } finally {
      await ctx.close();
    }
  });
});

describe('safe zones', () => {
  /** Whether every label's box lies outside the picture's box. */
  async function labelsOutside(page: Page): Promise<boolean> {
    const frame = await box(page, '.frame-box');
    for (const el of await page.locator('.guide-label').all()) {
      const b = (await el.boundingBox())!;
      const overlaps =
        b.x < frame.x + frame.width - 0.5 && b.x + b.width > frame.x + 0.5 && b.y < frame.y + frame.height && b.y + b.height > frame.y;
      if (overlaps) return false;
    }
    return true;
  }

  test('9:16 offers TikTok, Reels and Shorts; the zones are drawn with their labels outside the picture', async () => {
    const ctx = await context();
    try {
      const page = await open(ctx, '?composition=tall.html&frame=0');
      const select = page.locator('select[aria-label="Platform safe zones"]');
      expect(await select.locator('option').allTextContents()).toEqual(['No platform', 'TikTok', 'Instagram Reels', 'YouTube Shorts']);
      await select.selectOption('tiktok');
      await expect.poll(() => page.locator('.safe-zone').count()).toBe(3);
      expect(await page.locator('.guide-label').allTextContents()).toEqual([
        'TikTok',
        'Tabs, search',
        'Like, comment, share',
        'Caption, sound',
      ]);
      // The caption zone covers the bottom 440/1920 of the picture.
      const frame = await box(page, '.frame-box');
      const caption = await box(page, '.safe-zone[data-label="Caption, sound"]');
      expect(caption.height / frame.height).toBeCloseTo(440 / 1920, 2);
      expect(Math.abs(caption.y + caption.height - (frame.y + frame.height))).toBeLessThan(1.5);
      await page.locator('button[title="Safe-area guides"]').click();
      await expect.poll(() => page.locator('.guide-label').count()).toBe(6);
      expect(await labelsOutside(page)).toBe(true);
      // Nothing of it is in the composition's own document.
      const doc = await page.evaluate(() => window.__framesmithDev.frameWindow()!.document.documentElement.outerHTML);
      expect(doc).not.toMatch(/safe-zone|guide/);
    } finally {
      await ctx.close();
    }
  });

  test('1:1 gets the part of the 9:16 overlays that falls on a square video; 16:9 gets YouTube’s player', async () => {
    const ctx = await context();
    try {
      const page = await open(ctx, '?composition=square.html&frame=0');
      await page.locator('select[aria-label="Platform safe zones"]').selectOption('reels');
      // Reels' header is above a centred square: its buttons and the top of its caption area fall on it.
      await expect.poll(() => page.locator('.safe-zone').count()).toBe(2);
      expect(await page.locator('.safe-zone').evaluateAll((els) => els.map((e) => e.getAttribute('data-label')))).toEqual([
        'Like, comment, share',
        'Caption, audio, CTA',
      ]);
      const frame = await box(page, '.frame-box');
      const caption = await box(page, '.safe-zone[data-label="Caption, audio, CTA"]');
      expect(caption.height / frame.height).toBeCloseTo(250 / 1080, 2);
      expect(await labelsOutside(page)).toBe(true);
      const wide = await open(ctx, '?composition=index.html&frame=0');
      const select = wide.locator('select[aria-label="Platform safe zones"]');
      expect(await select.locator('option').allTextContents()).toEqual(['No platform', 'YouTube']);
      await select.selectOption('youtube');
      await expect.poll(() => wide.locator('.safe-zone').count()).toBe(2);
      expect(await labelsOutside(wide)).toBe(true);
    } finally {
      await ctx.close();
    }
  });
});

describe('sub-composition instances', () => {
  test('an instance’s values are edited in place (the preview changes, the file does not) and copied as an attribute', async () => {
    const dir = useFixture('subcomp');
    const before = readFileSync(join(dir, 'index.html'), 'utf8');
    const sub = await startDev(dir);
    const ctx = await context();
    try {
      const page = await ctx.newPage();
      await page.goto(`${sub.url}?frame=60`);
      await waitUpdates(page, 1);
      const card = page.locator('.instance[data-key="card-a"]');
      await expect.poll(() => card.locator('.instance-summary').innerText()).toBe('label: Alpha · tint: #e4572e');
      await card.locator('button.instance-toggle').click();
      const label = card.locator('#inst-card-a-label');
      expect(await label.inputValue()).toBe('Alpha');
      const n = await updateCount(page);
      await label.fill('Zed');
      await waitUpdates(page, n + 1);
      const text = () => page.evaluate(() => window.__framesmithDev.frameWindow()!.document.querySelector('#card-a .label')!.textContent);
      expect(await text()).toBe('Zed');
      // The other instance keeps its own value.
      expect(await page.evaluate(() => window.__framesmithDev.frameWindow()!.document.querySelector('#card-b .label')!.textContent)).toBe(
        'Beta',
      );
      expect(await card.locator('.instance-summary').innerText()).toBe('label: Zed · tint: #e4572e');
      await card.locator('button', { hasText: 'Copy attribute' }).click();
      await expect
        .poll(() => page.locator('.toast').last().innerText())
        .toBe(`Copied: data-variable-values='{"label":"Zed","tint":"#e4572e"}'`);
      // Kept in the URL: a reload shows the same.
      await page.reload();
      await waitUpdates(page, 1);
      await expect.poll(text).toBe('Zed');
      expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe(before);
      // Reset gives back the file's value.
      await page.locator('.instance[data-key="card-a"] .var[data-var=label] .var-reset').click();
      await expect.poll(text).toBe('Alpha');
    } finally {
      await ctx.close();
      await sub.close();
    }
  });

  test('an instance nested in another instance is edited in place too (its key walks through the outer instance)', async () => {
    const dir = useFixture('subcomp');
    // A pair of cards mounted by a sub-composition, itself mounted by the page.
    writeFileSync(
      join(dir, 'compositions', 'pair.html'),
      `<template>
  <div data-composition-id="pair" data-width="960" data-height="540" data-duration="3">
    <div id="inner-card" class="clip" data-composition-id="card" data-composition-src="compositions/card.html"
         data-start="0" data-duration="3" data-track-index="0" style="position:absolute;left:40px;top:100px;width:400px;height:300px"
         data-variable-values='{"label":"Inner","tint":"#2e86ab"}'></div>
  </div>
</template>
`,
    );
    const page0 = readFileSync(join(dir, 'index.html'), 'utf8');
    writeFileSync(
      join(dir, 'nested.html'),
      page0.replace(
        /<div id="card-a"[\s\S]*?<\/div>\s*<div id="card-b"[\s\S]*?<\/div>/,
        '<div id="pair-host" class="clip" data-composition-id="pair" data-composition-src="compositions/pair.html" data-start="0" data-duration="4" data-track-index="1" style="position:absolute;inset:0"></div>',
      ),
    );
    const before = readFileSync(join(dir, 'nested.html'), 'utf8');
    expect(before).toContain('pair-host');
    const sub = await startDev(dir);
    const ctx = await context();
    try {
      const page = await ctx.newPage();
      await page.goto(`${sub.url}?composition=nested.html&frame=60`);
      await waitUpdates(page, 1);
      const card = page.locator('.instance[data-key="pair-host/inner-card"]');
      await expect.poll(() => card.locator('.instance-summary').innerText()).toBe('label: Inner · tint: #2e86ab');
      await card.locator('button.instance-toggle').click();
      const n = await updateCount(page);
      await card.locator('.var[data-var=label] input').fill('Deep');
      await waitUpdates(page, n + 1);
      const text = () =>
        page.evaluate(() => window.__framesmithDev.frameWindow()!.document.querySelector('#inner-card .label')!.textContent);
      await expect.poll(text).toBe('Deep');
      expect(readFileSync(join(dir, 'nested.html'), 'utf8')).toBe(before);
    } finally {
      await ctx.close();
      await sub.close();
    }
  });
});
