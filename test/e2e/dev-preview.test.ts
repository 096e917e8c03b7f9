/**
 * The preview page in a real Chromium against a real dev server: scrubbing moves the playhead and
 * the frame (pixels as the composition says: the box moves 280 px per second), every shortcut
 * does what the help says, wherever the focus is, the variables panel changes the rendered text
 * and colours and keeps its values in the URL, and the guides, zoom, picker and sub-composition
 * list show what the project holds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DevServer } from '../../src/dev/index.js';
import { useFixture } from '../helpers/fixtures.js';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { near, openPreview, previewPng, shownFrame, startDev, viewState, waitFrame, waitUpdates, updateCount } from './dev-helpers.js';

const RED: [number, number, number] = [255, 0, 0];
const BG: [number, number, number] = [0x10, 0x20, 0x30];

let browser: LaunchedBrowser;
let server: DevServer;
let dir: string;
beforeAll(async () => {
  dir = useFixture('dev-basic');
  // A second entry, 4:3, for the picker and the aspect warning.
  writeFileSync(
    join(dir, 'square.html'),
    readFileSync(join(dir, 'index.html'), 'utf8').replace('data-width="640" data-height="360"', 'data-width="640" data-height="480"'),
  );
  [browser, server] = await Promise.all([launchBrowser(), startDev(dir)]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function withPreview(fn: (page: Page) => Promise<void>, query = ''): Promise<void> {
  const page = await openPreview(browser, server, query);
  try {
    await fn(page);
  } finally {
    await page.context().close();
  }
}

/** Where the box's left edge is in a frame (the first red pixel on its row), or -1. */
async function boxLeft(page: Page): Promise<number> {
  const png = await previewPng(page);
  for (let x = 0; x < png.width; x++) if (near(png.pixel(x, 240), RED, 40)) return x;
  return -1;
}

describe('scrubbing', () => {
  test('drag on the timeline moves the playhead and the frame; a click jumps', async () => {
    await withPreview(async (page) => {
      expect(await boxLeft(page)).toBe(0);
      const ruler = (await page.locator('.tl-ruler').boundingBox())!;
      const y = ruler.y + ruler.height / 2;
      await page.mouse.move(ruler.x + ruler.width * 0.1, y);
      await page.mouse.down();
      for (const f of [0.2, 0.3, 0.4, 0.5]) await page.mouse.move(ruler.x + ruler.width * f + 1, y);
      await page.mouse.up();
      await waitFrame(page, 30);
      const head = (await page.locator('.tl-playhead').boundingBox())!;
      expect(Math.abs(head.x - (ruler.x + ruler.width * 0.5))).toBeLessThan(3);
      expect(await page.locator('[data-testid=frame]').textContent()).toMatch(/f\s+30/);
      expect(await page.locator('[data-testid=time]').textContent()).toBe('0:01.00');
      // x = 280 px/s × 1 s.
      expect(await boxLeft(page)).toBe(280);
      const png = await previewPng(page);
      expect(near(png.pixel(40, 240), BG)).toBe(true);

      await page.mouse.click(ruler.x + ruler.width * 0.25 + 1, y);
      await waitFrame(page, 15);
      expect(await boxLeft(page)).toBe(140);
    });
  });

  test('clip bars per track come from the model, under the composition row', async () => {
    await withPreview(async (page) => {
      await expect.poll(() => page.locator('.tl-label:not([hidden]) .tl-name').allTextContents()).toEqual(['main', 'T1', 'T2']);
      const rows = await page.evaluate(() => window.__framesmithDev.timeline.rows());
      expect(rows.filter((r) => r.type === 'track').map((r) => r.items.map((i) => i.label))).toEqual([['#title'], ['#box']]);
    });
  });
});

describe('keyboard', () => {
  test('arrows, Shift+arrows, Home and End step through frames', async () => {
    await withPreview(async (page) => {
      await page.keyboard.press('ArrowRight');
      await waitFrame(page, 1);
      await page.keyboard.press('Shift+ArrowRight');
      await waitFrame(page, 11);
      expect(await boxLeft(page)).toBe(Math.round((11 / 30) * 280));
      await page.keyboard.press('ArrowLeft');
      await waitFrame(page, 10);
      await page.keyboard.press('Shift+ArrowLeft');
      await waitFrame(page, 0);
      await page.keyboard.press('End');
      await waitFrame(page, 59);
      await page.keyboard.press('Home');
      await waitFrame(page, 0);
    });
  });

  test('Space plays in real time and pauses; playback stops at the end', async () => {
    await withPreview(async (page) => {
      await page.keyboard.press('Space');
      await page.waitForFunction(() => window.__framesmithDev.shown() >= 10);
      expect((await viewState(page)).playing).toBe('forward');
      await page.keyboard.press('Space');
      await page.waitForFunction(() => window.__framesmithDev.state().playing === null);
      const stopped = await shownFrame(page);
      expect(stopped).toBeGreaterThanOrEqual(10);
      await page.waitForTimeout(300);
      expect(await shownFrame(page)).toBe(stopped);
      await page.keyboard.press('Space');
      await page.waitForFunction(() => window.__framesmithDev.state().playing === null && window.__framesmithDev.shown() === 59, null, {
        timeout: 15_000,
      });
      expect(await boxLeft(page)).toBe(Math.round((59 / 30) * 280));
    });
  });

  test('J/K/L shuttle, I/O set the range, Shift+L loops inside it', async () => {
    await withPreview(async (page) => {
      await page.keyboard.press('l');
      await page.waitForFunction(() => window.__framesmithDev.shown() >= 20);
      await page.keyboard.press('l');
      expect((await viewState(page)).rate).toBe(1.5);
      await page.keyboard.press('k');
      await page.waitForFunction(() => window.__framesmithDev.state().playing === null);
      const at = await shownFrame(page);
      await page.keyboard.press('j');
      await page.waitForFunction((f) => window.__framesmithDev.shown() < f - 3, at);
      expect((await viewState(page)).playing).toBe('reverse');
      await page.keyboard.press('k');

      await page.keyboard.press('Home');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('i');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('o');
      let s = await viewState(page);
      expect([s.inFrame, s.outFrame]).toEqual([10, 20]);
      expect(await page.locator('.range-readout').textContent()).toBe('10–20');
      await page.keyboard.press('Shift+L');
      expect((await viewState(page)).loop).toBe(true);
      await page.keyboard.press('Space');
      // Looping: the frame wraps from 20 back to 10 and never leaves the range.
      const seen = await page.evaluate(
        () =>
          new Promise<number[]>((resolve) => {
            const frames: number[] = [];
            const tick = () => {
              frames.push(window.__framesmithDev.shown());
              if (frames.length < 90) requestAnimationFrame(tick);
              else resolve(frames);
            };
            tick();
          }),
      );
      await page.keyboard.press('Space');
      expect(Math.min(...seen)).toBeGreaterThanOrEqual(10);
      expect(Math.max(...seen)).toBeLessThanOrEqual(20);
      expect(seen.some((f, i) => i > 0 && f < seen[i - 1])).toBe(true);
      s = await viewState(page);
      expect(s.loop).toBe(true);
    });
  });

  test('? shows the shortcut list; keys work with the focus inside the iframe but not in text fields', async () => {
    await withPreview(async (page) => {
      await page.keyboard.press('?');
      await expect.poll(() => page.locator('.modal').isVisible()).toBe(true);
      expect(await page.locator('.shortcuts').textContent()).toContain('Play / pause');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.modal').isVisible()).toBe(false);

      await page.locator('.frame-scale').click({ position: { x: 600, y: 20 } });
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('IFRAME');
      await page.keyboard.press('ArrowRight');
      await waitFrame(page, 1);
      await page.keyboard.press('Shift+ArrowRight');
      await waitFrame(page, 11);

      const field = page.locator('#var-title');
      await field.click();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Space');
      await page.waitForTimeout(200);
      expect((await viewState(page)).frame).toBe(11);
      expect((await viewState(page)).playing).toBe(null);
      expect(await field.inputValue()).toBe('Hello ');
    });
  });
});

describe('variables', () => {
  test('an edit changes the rendered text and colour and the URL; invalid values are shown and not applied; a reload keeps them', async () => {
    await withPreview(async (page) => {
      const frameText = () => page.evaluate(() => window.__framesmithDev.frameWindow()!.document.getElementById('title')!.textContent);
      await page.keyboard.press('Shift+ArrowRight');
      await waitFrame(page, 10);
      let n = await updateCount(page);
      await page.locator('#var-title').fill('World');
      await waitUpdates(page, ++n);
      expect(await frameText()).toBe('World');
      expect(await shownFrame(page)).toBe(10);
      expect(new URL(page.url()).searchParams.get('vars')).toBe('{"title":"World"}');

      await page.locator('.var-color input[type=text]').fill('#00ff00');
      await waitUpdates(page, ++n);
      const png = await previewPng(page);
      const left = Math.round((10 / 30) * 280);
      expect(near(png.pixel(left + 40, 240), [0, 255, 0])).toBe(true);

      await page.locator('#var-size').fill('120');
      await waitUpdates(page, ++n);
      const bigger = await previewPng(page);
      expect(near(bigger.pixel(left + 110, 300), [0, 255, 0])).toBe(true);

      // Longer than maxLength 20: shown as invalid, the preview keeps "World".
      await page.locator('#var-title').fill('A title that is far too long');
      await expect.poll(() => page.locator('.var[data-var=title]').getAttribute('class')).toContain('invalid');
      expect(await page.locator('.var[data-var=title] .var-error').textContent()).toMatch(/more than maxLength 20/);
      await page.waitForTimeout(600);
      expect(await updateCount(page)).toBe(n);
      expect(await frameText()).toBe('World');
      expect(JSON.parse(new URL(page.url()).searchParams.get('vars')!)).toEqual({
        title: 'A title that is far too long',
        boxColor: '#00ff00',
        size: 120,
      });

      // A reload (or the URL shared) keeps the values: valid ones applied, the invalid one shown.
      await page.reload();
      await waitUpdates(page, 1);
      await expect.poll(() => page.locator('.var[data-var=title]').getAttribute('class')).toContain('invalid');
      expect(await frameText()).toBe('Hello');
      // The frame is in the URL too.
      expect(await shownFrame(page)).toBe(10);
      const again = await previewPng(page);
      expect(near(again.pixel(left + 110, 300), [0, 255, 0])).toBe(true);

      await page.locator('.var[data-var=title] .var-reset').click();
      await page.locator('button', { hasText: 'Copy render command' }).click();
      await expect
        .poll(() => page.locator('.toast').last().textContent())
        .toContain(`framesmith render ${dir} --variables '{"boxColor":"#00ff00","size":120}'`);

      n = await updateCount(page);
      await page.locator('button', { hasText: 'Reset all' }).click();
      await waitUpdates(page, n + 1);
      expect(new URL(page.url()).searchParams.get('vars')).toBeNull();
      expect(near((await previewPng(page)).pixel(left + 40, 240), RED)).toBe(true);
    });
  });

  test('each type gets its control', async () => {
    await withPreview(async (page) => {
      // The panel is built when the composition reports its declarations: wait for it.
      await page.locator('.var-string input[type=text]').waitFor();
      expect(await page.locator('.var-string input[type=text]').count()).toBe(1);
      expect(await page.locator('.var-number input[type=range]').count()).toBe(1);
      expect(await page.locator('.var-number .unit').textContent()).toBe('px');
      expect(await page.locator('.var-color input[type=color]').inputValue()).toBe('#ff0000');
      expect(await page.locator('.var-boolean input[type=checkbox]').isChecked()).toBe(true);
      expect(await page.locator('.var-enum select option').allTextContents()).toEqual(['A', 'B']);
      expect(await page.locator('.var-string .var-meta').textContent()).toBe('5/20');
    });
  });
});

describe('guides, zoom, picker', () => {
  test('guides and checkerboard are drawn around the iframe, never inside it; zoom scales the frame', async () => {
    await withPreview(async (page) => {
      await page.locator('button[title="Safe-area guides"]').click();
      await expect.poll(() => page.locator('.guide.title-safe').isVisible()).toBe(true);
      const frameDoc = await page.evaluate(() => window.__framesmithDev.frameWindow()!.document.documentElement.outerHTML);
      expect(frameDoc).not.toMatch(/guide|framesmith-dev|checker/);
      await page.locator('button[title^="Checkerboard"]').click();
      expect(await page.locator('.frame-scale').getAttribute('class')).toContain('checker');
      expect((await page.locator('.frame-box').boundingBox())!.width).toBeCloseTo(640, 0);
      await page.locator('button[aria-label="Zoom presets"]').click();
      await page.locator('.zoom-menu .menu-item', { hasText: '50%' }).click();
      await expect.poll(async () => (await page.locator('.frame-box').boundingBox())!.width).toBeCloseTo(320, 0);
      await page.locator('button[aria-label="Zoom presets"]').click();
      await page.locator('.zoom-menu .menu-item', { hasText: /^Fit$/ }).click();
      await expect.poll(async () => (await page.locator('.frame-box').boundingBox())!.width).toBeGreaterThan(640);
      expect(await page.locator('.chip').allTextContents()).toEqual(['640×360', '16:9', '30 fps', '2s']);
    });
  });

  test('the picker lists every entry; a 4:3 entry is flagged as not a cloud size', async () => {
    await withPreview(async (page) => {
      await page.locator('.picker-button').click();
      expect(await page.locator('.picker-menu .menu-item').allTextContents()).toEqual(['index.html', 'square.html']);
      await page.locator('.picker-menu .menu-item', { hasText: 'square.html' }).click();
      await page.waitForURL(/composition=square\.html/);
      await waitUpdates(page, 1);
      await expect.poll(() => page.locator('.chip.warn').textContent()).toBe('4:3 · not a cloud size');
      expect(await page.evaluate(() => window.__framesmithDev.frameWindow()!.location.pathname)).toBe('/square.html');
    });
  });
});

describe('sub-compositions', () => {
  test('instances are listed with their data-variable-values; the picker names the files used', async () => {
    const sub = useFixture('subcomp');
    const subServer = await startDev(sub);
    const page = await openPreview(browser, subServer);
    try {
      await expect.poll(() => page.locator('.instance').count()).toBe(2);
      const text = await page.locator('.instances').innerText();
      expect(text).toContain('#card-a');
      expect(text).toContain('Alpha');
      expect(text).toContain('#17bebb');
      await page.locator('.instance-name', { hasText: '#card-b' }).click();
      await waitFrame(page, 30);
      await page.locator('.picker-button').click();
      expect(await page.locator('.picker-menu .menu-item.sub').textContent()).toContain('compositions/card.html');
    } finally {
      await page.context().close();
      await subServer.close();
    }
  });
});
