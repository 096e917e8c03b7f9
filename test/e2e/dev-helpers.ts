/**
 * Shared by the dev server suites: start a real dev server on a fixture copy, open its preview in
 * a real Chromium at 100 % zoom, and read what is on screen (frame number, pixels of the
 * composition as the preview shows it). Waits happen in the preview page, whose clock is real
 * (only the composition iframe's clock is virtual).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import type { Page } from 'playwright-core';
import type { Logger } from '../../src/core/logger.js';
import { createDevServer, type DevServer } from '../../src/dev/index.js';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { CLI } from '../helpers/cli.js';
import { PNG } from '../helpers/png.js';
import type { ViewState } from '../../preview/store.js';

/** `framesmith dev …` as a child process; resolves once it printed its URL on stdout. */
export async function spawnDev(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; stderr: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'dev', ...args], {
    env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d) => {
      stdout += d;
      const m = /(http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => (clearTimeout(timer), reject(new Error(`exited before printing a URL: ${stderr}`))));
  });
  return { child, url, stderr: () => stderr, exit };
}

/** A logger that keeps every line (to check what the terminal would print). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return {
    lines,
    level: 'debug',
    json: false,
    interactive: false,
    error: push('error'),
    warn: push('warn'),
    info: push('info'),
    success: push('success'),
    debug: push('debug'),
    diagnostic: (d) =>
      lines.push(
        `${d.severity} ${d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.column}: ` : ''}${d.message} [${d.code}]${d.hint ? `\n  hint: ${d.hint}` : ''}`,
      ),
    result: (v) => lines.push(`result ${String(v)}`),
    progress: () => ({ update() {}, done() {}, fail() {} }),
  };
}

export async function startDev(dir: string, options: { composition?: string; logger?: Logger } = {}): Promise<DevServer> {
  const server = await createDevServer({ dir, port: 0, composition: options.composition, logger: options.logger });
  await server.ready;
  return server;
}

/** Opens the preview (100 % zoom, 1280×800 window) and waits for the first frame to be painted. */
export async function openPreview(browser: LaunchedBrowser, server: DevServer, query = ''): Promise<Page> {
  const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => localStorage.setItem('framesmith.dev.view', JSON.stringify({ zoom: 1 })));
  const page = await context.newPage();
  await page.goto(`${server.url}${query}`);
  await waitUpdates(page, 1);
  return page;
}

/** Waits until the preview has painted at least `n` updates (loads, reloads, stylesheet swaps). */
export async function waitUpdates(page: Page, n: number, timeout = 20_000): Promise<void> {
  await page.waitForFunction((count) => (window.__framesmithDev?.updates.length ?? 0) >= count, n, { timeout });
}

export const updateCount = (page: Page): Promise<number> => page.evaluate(() => window.__framesmithDev.updates.length);
export const lastUpdate = (page: Page): Promise<{ reason: string; frame: number }> =>
  page.evaluate(() => window.__framesmithDev.updates.at(-1)!);
export const shownFrame = (page: Page): Promise<number> => page.evaluate(() => window.__framesmithDev.shown());
export const viewState = (page: Page): Promise<ViewState> => page.evaluate(() => window.__framesmithDev.state());

/** Waits until frame `n` is painted in the preview. */
export async function waitFrame(page: Page, n: number, timeout = 15_000): Promise<void> {
  await page.waitForFunction((f) => window.__framesmithDev.shown() === f && window.__framesmithDev.state().frame === f, n, { timeout });
}

/** The composition as the preview shows it (100 % zoom: one pixel per composition pixel). */
export async function previewPng(page: Page): Promise<PNG> {
  return PNG.decode(await page.locator('.frame-scale').screenshot());
}

/** Sets a marker on the composition iframe's window; it survives anything but a reload. */
export async function markDocument(page: Page, value: string): Promise<void> {
  await page.evaluate((v) => (window.__framesmithDev.frameWindow()!.__testMarker = v), value);
}

export const documentMarker = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => window.__framesmithDev.frameWindow()?.__testMarker);

/** A raw HTTP GET that sends the path exactly as given (no client-side normalisation of `..`). */
export function rawGet(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Whether a pixel is close to an RGB colour. */
export const near = (px: [number, number, number], rgb: [number, number, number], tol = 12) =>
  px.every((v, i) => Math.abs(v - rgb[i]) <= tol);
