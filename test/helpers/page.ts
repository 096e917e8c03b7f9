/**
 * Opens a fixture project in a real headless Chromium with the runtime injected (the same static
 * server and page driver snapshot and render use). Callers close what they open.
 */
import { createHash } from 'node:crypto';
import type { BootOptions } from '../../shared/control.js';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { openComposition, type CompositionPage } from '../../src/browser/composition-page.js';
import { startStaticServer, type StaticServer } from '../../src/serve/static-server.js';

export interface OpenedFixture {
  page: CompositionPage;
  server: StaticServer;
  close(): Promise<void>;
}

export async function openProject(
  browser: LaunchedBrowser,
  dir: string,
  size: { width: number; height: number },
  boot: BootOptions = {},
  entry = 'index.html',
): Promise<OpenedFixture> {
  const server = await startStaticServer({ root: dir, boot });
  try {
    const page = await openComposition(browser.browser, { url: server.url(entry), ...size, readyTimeoutMs: 15_000 });
    return { page, server, close: async () => (await page.close(), await server.close()) };
  } catch (e) {
    await server.close();
    throw e;
  }
}

export const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');

/** Captures frames in the given order; returns frame → PNG hash. */
export async function hashFrames(page: CompositionPage, frames: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const f of frames) {
    await page.seekFrame(f);
    out.set(f, sha1(await page.capture({ format: 'png' })));
  }
  return out;
}

export { launchBrowser };
