/**
 * Hot reload in a real Chromium against a real dev server watching a real folder: an HTML edit
 * reloads the iframe at the same frame with the same variables (and keeps playing), a CSS edit
 * swaps the stylesheet in the same document, a burst of saves reloads once, errors (script
 * syntax, model) cover the preview and print in the terminal until the file is fixed, and a
 * project importing npm packages from module scripts runs.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { createDevServer, type DevServer } from '../../src/dev/index.js';
import { REPO, useFixture } from '../helpers/fixtures.js';
import {
  documentMarker,
  lastUpdate,
  markDocument,
  memoryLogger,
  near,
  openPreview,
  previewPng,
  shownFrame,
  startDev,
  updateCount,
  viewState,
  waitFrame,
  waitUpdates,
} from './dev-helpers.js';

let browser: LaunchedBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('hot reload of a plain project', () => {
  let dir: string;
  let server: DevServer;
  let page: Page;
  let logger: ReturnType<typeof memoryLogger>;
  const edit = (file: string, from: string | RegExp, to: string) => {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(from, to);
    if (next === text) throw new Error(`edit of ${file} changed nothing`);
    writeFileSync(path, next);
  };

  beforeAll(async () => {
    dir = useFixture('dev-basic');
    logger = memoryLogger();
    server = await startDev(dir, { logger });
  });
  afterAll(() => server?.close());
  afterEach(() => page?.context().close());

  test('an HTML edit reloads the iframe at the same frame with the same variables', async () => {
    page = await openPreview(browser, server, `?vars=${encodeURIComponent('{"title":"Kept"}')}`);
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await waitFrame(page, 20);
    await markDocument(page, 'before');
    const n = await updateCount(page);
    edit(
      'index.html',
      '<div id="box"',
      '<div id="badge" class="clip" data-start="0" data-duration="2" style="position:absolute;right:0;top:0;width:40px;height:40px;background:#ffff00"></div>\n    <div id="box"',
    );
    await waitUpdates(page, n + 1);
    expect(await documentMarker(page)).toBeUndefined();
    expect((await lastUpdate(page)).reason).toBe('change');
    expect(await shownFrame(page)).toBe(20);
    expect(await page.evaluate(() => window.__framesmithDev.frameWindow()!.document.getElementById('title')!.textContent)).toBe('Kept');
    const png = await previewPng(page);
    expect(near(png.pixel(620, 20), [255, 255, 0])).toBe(true);
    expect(near(png.pixel(Math.round((20 / 30) * 280) + 40, 240), [255, 0, 0])).toBe(true);
  });

  test('an edit while playing reloads and keeps playing', async () => {
    page = await openPreview(browser, server);
    await page.keyboard.press('Shift+L');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.__framesmithDev.shown() > 5);
    const n = await updateCount(page);
    edit('index.html', 'background:#ffff00', 'background:#00ffff');
    await waitUpdates(page, n + 1);
    expect((await viewState(page)).playing).toBe('forward');
    const at = await shownFrame(page);
    await page.waitForFunction((f) => window.__framesmithDev.shown() !== f, at);
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+L');
  });

  test('a CSS edit applies without reloading the document', async () => {
    page = await openPreview(browser, server);
    await markDocument(page, 'same-document');
    const n = await updateCount(page);
    edit('style.css', '#root { background: #102030; }', '#root { background: #306020; }');
    await waitUpdates(page, n + 1);
    expect((await lastUpdate(page)).reason).toBe('css');
    expect(await documentMarker(page)).toBe('same-document');
    expect(near((await previewPng(page)).pixel(320, 120), [0x30, 0x60, 0x20])).toBe(true);
  });

  test('a syntax error shows the overlay and prints in the terminal; fixing it clears both', async () => {
    page = await openPreview(browser, server);
    expect(await page.locator('.error-overlay').isVisible()).toBe(false);
    const good = readFileSync(join(dir, 'app.js'), 'utf8');
    let n = await updateCount(page);
    writeFileSync(join(dir, 'app.js'), good.replace('tl.to(', 'tl.to(;'));
    await waitUpdates(page, n + 1);
    await expect.poll(() => page.locator('.error-overlay').isVisible()).toBe(true);
    const text = await page.locator('.error-overlay').textContent();
    expect(text).toMatch(/SyntaxError/);
    expect(text).toContain('app.js:3');
    expect(text).toContain('Fix the script error');
    await expect.poll(() => logger.lines.some((l) => /^error app\.js:3:\d+: .*SyntaxError/.test(l))).toBe(true);

    n = await updateCount(page);
    writeFileSync(join(dir, 'app.js'), good);
    await waitUpdates(page, n + 1);
    await expect.poll(() => page.locator('.error-overlay').isVisible()).toBe(false);
    await expect.poll(() => logger.lines.some((l) => l.includes('index.html: the page runs without errors'))).toBe(true);
  });

  test('a model error (no size on the root) shows file:line and a hint; fixing it clears it', async () => {
    page = await openPreview(browser, server);
    const good = readFileSync(join(dir, 'index.html'), 'utf8');
    writeFileSync(join(dir, 'index.html'), good.replace(' data-width="640" data-height="360"', ''));
    await expect.poll(() => page.locator('.error-overlay').isVisible(), { timeout: 15_000 }).toBe(true);
    const line = good.split('\n').findIndex((l) => l.includes('<div id="root"')) + 1;
    // The in-page runtime may report the missing size first (without a line); the server's model
    // error, with file:line, replaces it as soon as the watcher has parsed the file.
    await expect.poll(() => page.locator('.error-overlay').textContent(), { timeout: 15_000 }).toContain(`index.html:${line}`);
    expect(await page.locator('.error-overlay').textContent()).toMatch(/data-width/);
    await expect.poll(() => logger.lines.some((l) => new RegExp(`^error index\\.html:${line}:\\d+: .*data-width`).test(l))).toBe(true);
    writeFileSync(join(dir, 'index.html'), good);
    await expect.poll(() => page.locator('.error-overlay').isVisible(), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => logger.lines.some((l) => l.includes('success index.html: no problems'))).toBe(true);
  });

  test('five files saved at once cause one reload', async () => {
    page = await openPreview(browser, server);
    const n = await updateCount(page);
    const files = ['index.html', 'app.js', 'style.css', 'notes.txt', 'extra.js'];
    for (const f of files) writeFileSync(join(dir, f), `${readFileSync(join(dir, f), { encoding: 'utf8', flag: 'a+' })}\n`);
    await waitUpdates(page, n + 1);
    await page.waitForTimeout(800);
    const reasons = await page.evaluate((from) => window.__framesmithDev.updates.slice(from).map((u) => u.reason), n);
    // One reload; a stylesheet edit the watcher happened to report first is swapped at once before it.
    expect(reasons.filter((r) => r === 'change')).toHaveLength(1);
    expect(reasons.filter((r) => r !== 'change' && r !== 'css')).toEqual([]);
    expect(reasons.length).toBeLessThanOrEqual(2);
  });
});

describe('a project with module scripts and npm packages', () => {
  test('runs TypeScript and gsap from node_modules (inline module too), without Vite in the document; edits reload', async () => {
    const dir = useFixture('dev-module');
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(REPO, 'node_modules', 'gsap'), join(dir, 'node_modules', 'gsap'));
    // The preview opens as soon as the URL is known, as a user's browser does: on this fresh
    // cache the page asks for the pre-bundled gsap while Vite is still building it, and must wait
    // for it (it was once answered 404, leaving a page whose modules never ran).
    const server = await createDevServer({ dir, port: 0 });
    const page = await openPreview(browser, server);
    try {
      const frameDoc = () =>
        page.evaluate(() => {
          const d = window.__framesmithDev.frameWindow()!.document as Document;
          return { label: d.getElementById('label')!.textContent, scripts: Array.from(d.scripts, (s) => s.src) };
        });
      await expect.poll(async () => (await frameDoc()).label, { timeout: 15_000 }).toMatch(/^gsap 3\./);
      await server.ready;
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await waitFrame(page, 30);
      const doc = await frameDoc();
      expect(doc.scripts.some((s) => s.includes('@vite'))).toBe(false);
      // 480 px in 2 s: 240 px at 1 s.
      expect(near((await previewPng(page)).pixel(240 + 40, 240), [255, 255, 255])).toBe(true);
      const n = await updateCount(page);
      const main = join(dir, 'src', 'main.ts');
      writeFileSync(main, readFileSync(main, 'utf8').replace('distance: number = 480', 'distance: number = 240'));
      await waitUpdates(page, n + 1);
      expect(await shownFrame(page)).toBe(30);
      const png = await previewPng(page);
      expect(near(png.pixel(120 + 40, 240), [255, 255, 255])).toBe(true);
      expect(near(png.pixel(240 + 60, 240), [0, 0, 0])).toBe(true);
    } finally {
      await page.context().close();
      await server.close();
    }
  });
});
