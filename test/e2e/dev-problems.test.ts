/**
 * Problems no one can miss, in a real Chromium: the count badge in the top bar and its list, GSAP
 * warnings located at the user's line, one entry per problem (a missing image is not listed twice,
 * a timeline that a failed script never registered is that error's consequence), a variable's bad
 * value marked on its field instead of blaming a file, JSON variables checked before they apply,
 * long names that wrap, and file:line opening the user's editor (or saying clearly why not).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG as PngJs } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { createDevServer, type DevServer } from '../../src/dev/index.js';
import { tempDir, useFixture } from '../helpers/fixtures.js';
import { spawnDev, updateCount, waitUpdates } from './dev-helpers.js';

let browser: LaunchedBrowser;
let server: DevServer;
let dir: string;
let calls: string;

function tinyPng(file: string): void {
  const png = new PngJs({ width: 4, height: 4 });
  png.data.fill(200);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, PngJs.sync.write(png));
}

beforeAll(async () => {
  dir = useFixture('dev-problems');
  tinyPng(join(dir, 'images', 'logo.png'));
  // An editor named `code` (so it is called with -g file:line:col) that writes down its arguments.
  const bin = tempDir();
  calls = join(bin, 'calls.txt');
  writeFileSync(join(bin, 'code'), `#!/bin/sh\necho "$@" >> "${calls}"\n`);
  chmodSync(join(bin, 'code'), 0o755);
  browser = await launchBrowser();
  server = await createDevServer({ dir, port: 0, editor: join(bin, 'code') });
  await server.ready;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query = '?frame=0', srv = server): Promise<Page> {
  const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${srv.url}${query}`);
  await waitUpdates(page, 1);
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

const listed = (page: Page) => page.evaluate(() => window.__framesmithDev.problems());

describe('badge and list', () => {
  test('a count badge in the top bar opens the list; GSAP warnings are located at the line that made the call', async () => {
    await withPage(async (page) => {
      await expect.poll(() => page.locator('.problems-badge').innerText(), { timeout: 10_000 }).toBe('2 warnings');
      // Visible without scrolling: in the top bar.
      const badge = (await page.locator('.problems-badge').boundingBox())!;
      expect(badge.y).toBeLessThan(44);
      expect(await page.locator('.error-overlay').isVisible()).toBe(false);
      await page.locator('.problems-badge').click();
      const list = page.locator('.problems-popover');
      await expect.poll(() => list.isVisible()).toBe(true);
      const text = await list.innerText();
      expect(text).toMatch(/app\.js:9:4[\s\S]*gsap_target_not_found[\s\S]*GSAP target #nope not found\./);
      expect(text).toMatch(/app\.js:10:\d+[\s\S]*gsap_invalid_property[\s\S]*Invalid property colr set to blue/);
      expect(await list.locator('.problem').count()).toBe(2);
      await page.keyboard.press('Escape');
      await expect.poll(() => list.isVisible()).toBe(false);
    });
  });

  test('a typo’s error is one entry, with the timeline it kept from registering shown as its consequence', async () => {
    await withPage(async (page) => {
      await expect.poll(() => page.locator('.problems-badge').innerText(), { timeout: 10_000 }).toBe('1 error');
      const overlay = page.locator('.error-overlay');
      await expect.poll(() => overlay.isVisible()).toBe(true);
      expect(await overlay.locator(':scope .problem-list > .problem').count()).toBe(1);
      const text = await overlay.innerText();
      expect(text).toMatch(/typo\.html:11:\d+[\s\S]*tl\.fromm is not a function/);
      expect(text).toMatch(/CONSEQUENCE[\s\S]*No timeline was registered for composition "main"/i);
      expect(text).not.toMatch(/Register it synchronously/);
    }, '?composition=typo.html&frame=0');
  });

  test('a missing image is listed once, at the line that references it; a long name wraps inside the list', async () => {
    await withPage(async (page) => {
      await expect.poll(async () => (await listed(page)).length, { timeout: 10_000 }).toBe(2);
      const problems = await listed(page);
      const gone = problems.filter((p) => p.message.includes('not-here.png'));
      expect(gone).toHaveLength(1);
      expect(gone[0]).toMatchObject({
        code: 'missing_local_asset',
        loc: { file: 'missing.html', line: 6 },
        note: 'The page failed to load it too.',
      });
      await page.locator('.problems-badge').click();
      const list = page.locator('.problems-popover');
      await expect.poll(() => list.isVisible()).toBe(true);
      // Nothing runs out of the list sideways; the long name takes several lines.
      expect(await list.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      const message = list.locator('.problem', { hasText: 'a-file-name-that-goes-on' }).locator('.problem-message');
      expect((await message.boundingBox())!.height).toBeGreaterThan(30);
      expect(await page.locator('.error-overlay .error-card').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    }, '?composition=missing.html&frame=0');
  });
});

describe('variables as causes', () => {
  test('an image value that does not load marks its field; the file is not blamed', async () => {
    await withPage(async (page) => {
      await page.locator('#var-logo').waitFor();
      const n = await updateCount(page);
      await page.locator('#var-logo').fill('images/nope.png');
      await waitUpdates(page, n + 1);
      const field = page.locator('.var[data-var=logo]');
      await expect.poll(() => field.getAttribute('class')).toContain('fails');
      expect(await field.locator('.var-runtime').innerText()).toMatch(
        /The page fails with this value: Failed to load <img> images\/nope\.png/,
      );
      expect(await page.locator('.error-overlay').isVisible()).toBe(false);
      await expect.poll(() => page.locator('.problems-badge').innerText()).toBe('1 error · 2 warnings');
      const problems = await listed(page);
      expect(problems.find((p) => p.code === 'asset_load_failed')).toMatchObject({ source: 'variable', variable: 'logo' });
      // The list names the variable and leads to it.
      await page.locator('.problems-badge').click();
      await page.locator('.problems-popover .problem-var', { hasText: 'variable Logo' }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('var-logo');
      await field.locator('.var-reset').click();
      await expect.poll(() => field.getAttribute('class')).not.toContain('fails');
      await expect.poll(() => page.locator('.problems-badge').innerText()).toBe('2 warnings');
    });
  });

  test('a JSON variable gets a multi-line editor; broken JSON is not applied; a value the script chokes on marks the field', async () => {
    await withPage(async (page) => {
      const field = page.locator('.var[data-var=data]');
      const editor = field.locator('textarea.json-editor');
      await editor.waitFor();
      expect(Number(await editor.getAttribute('rows'))).toBeGreaterThan(2);
      // Broken JSON: marked with the line and column, never sent to the page.
      const n = await updateCount(page);
      await editor.fill('[1, 2,\n  3');
      await expect.poll(() => field.getAttribute('class')).toContain('invalid');
      expect(await field.locator('.var-error').innerText()).toMatch(/Not applied: not valid JSON: .*/);
      await page.waitForTimeout(600);
      expect(await updateCount(page)).toBe(n);
      // Valid JSON of the wrong shape: applied, the script throws, the field says so.
      await editor.fill('{"a": 1}');
      await waitUpdates(page, n + 1);
      await expect.poll(() => field.getAttribute('class')).toContain('fails');
      expect(await field.locator('.var-runtime').innerText()).toMatch(/The page fails with this value: .*is not a function.*\(app\.js:3\)/);
      expect(await page.locator('.error-overlay').isVisible()).toBe(false);
      const problems = await listed(page);
      expect(problems.find((p) => p.code === 'page_error')).toMatchObject({ variable: 'data', loc: { file: 'app.js', line: 3 } });
      // Format indents valid JSON.
      await editor.fill('[4,5]');
      await field.locator('button', { hasText: 'Format' }).click();
      expect(await editor.inputValue()).toBe('[\n  4,\n  5\n]');
      await expect.poll(() => field.getAttribute('class')).not.toContain('fails');
      await expect
        .poll(() => page.evaluate(() => window.__framesmithDev.frameWindow()!.document.querySelectorAll('#bars div').length))
        .toBe(2);
    });
  });
});

describe('open in editor', () => {
  test('file:line in the list and Ctrl+click on a clip open the editor at that line', async () => {
    await withPage(async (page) => {
      await expect.poll(() => page.locator('.problems-badge').innerText(), { timeout: 10_000 }).toBe('2 warnings');
      await page.locator('.problems-badge').click();
      await page.locator('.problems-popover .problem-loc', { hasText: 'app.js:9:4' }).click();
      await expect.poll(() => page.locator('.toast').last().innerText()).toMatch(/Opened app\.js:9 in .*code/);
      await expect.poll(() => existsSync(calls) && readFileSync(calls, 'utf8')).toContain(`-g ${join(dir, 'app.js')}:9:4`);
      await page.keyboard.press('Escape');
      const box = await page.evaluate(() => window.__framesmithDev.timeline.itemPoint('#box'));
      await page.keyboard.down('Control');
      await page.mouse.click(box!.x, box!.y);
      await page.keyboard.up('Control');
      await expect.poll(() => readFileSync(calls, 'utf8')).toContain(`-g ${join(dir, 'index.html')}:24:`);
    });
  });

  test('an editor command that does not exist gets a clear message; the endpoint answers only the preview page', async () => {
    const other = await createDevServer({ dir, port: 0, editor: 'framesmith-no-such-editor' });
    await other.ready;
    const page = await open('?frame=0', other);
    try {
      await expect.poll(() => page.locator('.problems-badge').innerText(), { timeout: 10_000 }).toBe('2 warnings');
      await page.locator('.problems-badge').click();
      await page.locator('.problems-popover .problem-loc', { hasText: 'app.js:9:4' }).click();
      await expect
        .poll(() => page.locator('.toast').last().innerText())
        .toBe(
          'The editor command "framesmith-no-such-editor" (from the dev server option) does not exist: install it or set LAUNCH_EDITOR to an editor command that is on your PATH (e.g. code).',
        );
    } finally {
      await page.context().close();
      await other.close();
    }
  });

  test('framesmith dev takes the editor from LAUNCH_EDITOR; another origin, or a file outside the project, is refused', async () => {
    const dev = await spawnDev([dir, '--port', '0'], { LAUNCH_EDITOR: 'framesmith-missing-editor' });
    try {
      const origin = new URL(dev.url).origin;
      const post = (body: unknown, headers: Record<string, string> = { origin }) =>
        fetch(`${origin}/__framesmith/api/open-in-editor`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
      const missing = await post({ file: 'app.js', line: 3, column: 1 });
      expect(missing.status).toBe(500);
      expect((await missing.json()).message).toMatch(/"framesmith-missing-editor" \(from LAUNCH_EDITOR\) does not exist/);
      expect((await post({ file: 'app.js', line: 3 }, { origin: 'http://evil.example' })).status).toBe(403);
      expect((await post({ file: 'app.js', line: 3 }, {})).status).toBe(403);
      // Refused and missing files look alike (404), as everywhere on the dev server.
      const outside = await post({ file: '../etc/passwd', line: 1 });
      expect(outside.status).toBe(404);
      expect((await outside.json()).message).toMatch(/not a file of this project/);
      expect((await post({ file: '.env', line: 1 })).status).toBe(404);
    } finally {
      dev.child.kill('SIGINT');
      await dev.exit;
    }
  });
});
