/**
 * The dev preview shows what HeyGen's renderer would refuse while the author works, without
 * breaking the preview: a script that reads `tl.labels` (undefined in the cloud, where the render
 * fails) still plays in the preview, and the problem is shown with its file:line and the fix, by
 * lint (as the file is saved) and by the page itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import type { DevServer } from '../../src/dev/index.js';
import { useFixture } from '../helpers/fixtures.js';
import { memoryLogger, near, openPreview, previewPng, startDev, waitFrame } from './dev-helpers.js';

let browser: LaunchedBrowser;
let server: DevServer;
const logger = memoryLogger();
let dir: string;

beforeAll(async () => {
  dir = useFixture('dev-basic');
  // The box's second move is placed with tl.labels, as authors do in a browser.
  const app = join(dir, 'app.js');
  const code = readFileSync(app, 'utf8');
  writeFileSync(app, code.replace(/window\.__timelines/, 'tl.addLabel("hold");\nconst holdAt = tl.labels.hold;\nwindow.__timelines'));
  [browser, server] = await Promise.all([launchBrowser(), startDev(dir, { logger })]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the preview and HeyGen's render mode", () => {
  test('a tl.labels read: the preview still plays; lint and the page both show why the cloud would fail', async () => {
    const page = await openPreview(browser, server);
    try {
      // The problems list opens over the picture with the error, with the file and line.
      await expect
        .poll(() => page.locator('.problem.error').allTextContents(), { timeout: 15_000 })
        .toEqual(expect.arrayContaining([expect.stringMatching(/app\.js:\d+.*`tl\.labels` is undefined in HeyGen's renderer/s)]));
      // The terminal too.
      await expect
        .poll(() => logger.lines.some((l) => /^error app\.js:\d+:\d+: `tl\.labels` is undefined in HeyGen's renderer/.test(l)), {
          timeout: 15_000,
        })
        .toBe(true);
      // Hidden (its close button), the overlay uncovers a composition that still moves: frame 59
      // is not frame 0.
      await page.locator('.error-overlay header button').click();
      await expect.poll(() => page.locator('.error-overlay').isHidden()).toBe(true);
      await page.keyboard.press('Home');
      await waitFrame(page, 0);
      const first = await previewPng(page);
      await page.keyboard.press('End');
      await waitFrame(page, 59);
      const last = await previewPng(page);
      let changed = 0;
      for (let x = 0; x < first.width; x += 8) if (!near(first.pixel(x, 240), last.pixel(x, 240), 10)) changed++;
      expect(changed).toBeGreaterThan(0);
    } finally {
      await page.context().close();
    }
  });
});
