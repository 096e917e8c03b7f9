/**
 * Large inputs in the preview, used as a person would: a composition with 5,000 clips and
 * 50,000 tweens (the timeline draws only what is in view, and scrolling, hovering, zooming and
 * double-clicking still work at the bottom of it), and a 1 MB variable value (applied through the
 * server instead of the URL, kept across a reload).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import type { DevServer } from '../../src/dev/index.js';
import { tempDir, vendorGsap } from '../helpers/fixtures.js';
import { startDev, updateCount, waitUpdates } from './dev-helpers.js';

const TRACKS = 50;
const PER_TRACK = 100;
const TWEENS = 50_000;

/** 5,000 clips on 50 tracks over 10 s; 50,000 tweens on one timeline; a free-length text variable. */
export function bigProject(): string {
  const dir = tempDir();
  const clips: string[] = [];
  for (let t = 0; t < TRACKS; t++) {
    for (let i = 0; i < PER_TRACK; i++) {
      clips.push(
        `<div id="c${t}-${i}" class="clip" data-start="${(i * 0.1).toFixed(1)}" data-duration="0.1" data-track-index="${t}" style="position:absolute;left:${t * 12}px;top:${i * 3}px;width:10px;height:2px;background:#4cc9f0"></div>`,
      );
    }
  }
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>
<html data-composition-variables='[{"id":"note","type":"string","label":"Note","default":"short"}]'>
<head><meta charset="utf-8"></head>
<body>
<div id="root" data-composition-id="main" data-width="640" data-height="360" data-start="0" data-duration="10" data-fps="30" style="background:#101820">
<p id="note" class="clip" data-start="0" data-duration="10" data-var-text="note" style="position:absolute;left:0;top:300px;width:640px;height:40px;overflow:hidden;color:#fff;margin:0"></p>
${clips.join('\n')}
</div>
<script src="vendor/gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  const targets = document.querySelectorAll('.clip');
  for (let i = 0; i < ${TWEENS}; i++) tl.to(targets[i % targets.length], { opacity: 0.5 + (i % 2) * 0.5, duration: 0.05 }, i * 0.0002);
  window.__timelines = { main: tl };
</script>
</body>
</html>
`,
  );
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  vendorGsap(dir);
  return dir;
}

let browser: LaunchedBrowser;
let server: DevServer;
beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startDev(bigProject())]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query = '?frame=0'): Promise<Page> {
  const context = await browser.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}${query}`);
  await waitUpdates(page, 1, 60_000);
  return page;
}

describe('5,000 clips and 50,000 tweens', () => {
  test('the timeline shows them all, drawing only what is in view; scroll, hover, zoom and double-click work at the bottom', async () => {
    const page = await open();
    try {
      await expect
        .poll(() => page.evaluate(() => window.__framesmithDev.timelineStats()), { timeout: 60_000 })
        .toEqual({ clips: 5001, tweens: TWEENS, rows: TRACKS + 2 });
      expect(await page.locator('.tl-counts').innerText()).toBe('5001 clips · 50000 tweens');
      // Only the rows in view have labels in the page.
      expect(await page.locator('.tl-label:not([hidden])').count()).toBeLessThan(20);
      // Scroll to the last track with the wheel over the lanes.
      const lanes = (await page.locator('.tl-layer').boundingBox())!;
      await page.mouse.move(lanes.x + lanes.width / 2, lanes.y + lanes.height / 2);
      for (let i = 0; i < 30; i++) await page.mouse.wheel(0, 400);
      await expect.poll(() => page.locator('.tl-label:not([hidden]) .tl-name').allTextContents()).toContain(`T${TRACKS - 1}`);
      // Zoom in around the pointer so single clips are wide enough to point at.
      await page.keyboard.down('Control');
      for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
      await page.keyboard.up('Control');
      const target = await page.evaluate(() => {
        const dev = window.__framesmithDev.timeline;
        for (let i = 99; i >= 0; i--) {
          const p = dev.itemPoint(`#c49-${i}`);
          if (p) return { p, i };
        }
        return null;
      });
      expect(target).not.toBeNull();
      await page.mouse.move(target!.p.x, target!.p.y);
      await expect.poll(() => page.locator('.tl-tooltip').innerText()).toMatch(new RegExp(`#c49-${target!.i}\\s+element`));
      await page.mouse.dblclick(target!.p.x, target!.p.y);
      await expect.poll(() => page.locator('.range-readout').textContent()).toBe(`${target!.i * 3}–${target!.i * 3 + 2}`);
    } finally {
      await page.context().close();
    }
  });
});

describe('a 1 MB variable value', () => {
  test('is applied (through the server, not the URL), shown in the field, and kept across a reload', async () => {
    const page = await open();
    try {
      await page.locator('#var-note').waitFor();
      const big = 'x'.repeat(1024 * 1024);
      const n = await updateCount(page);
      await page.locator('#var-note').fill(big);
      await waitUpdates(page, n + 1, 60_000);
      const length = () => page.evaluate(() => window.__framesmithDev.frameWindow()!.document.getElementById('note')!.textContent.length);
      expect(await length()).toBe(big.length);
      expect(await page.locator('.var[data-var=note] .var-meta').textContent()).toBe('');
      // The URL stays short: the value lives in the tab's session storage.
      expect(page.url().length).toBeLessThan(500);
      expect(new URL(page.url()).searchParams.get('vars')).toBe('@session');
      await page.reload();
      await waitUpdates(page, 1, 60_000);
      await expect.poll(length, { timeout: 30_000 }).toBe(big.length);
      expect((await page.locator('#var-note').inputValue()).length).toBe(big.length);
    } finally {
      await page.context().close();
    }
  });
});
