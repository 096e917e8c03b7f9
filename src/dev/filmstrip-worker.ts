/**
 * The filmstrip's capture process (forked by filmstrip.ts): it runs at the lowest CPU priority,
 * and so does the headless Chromium it starts (children inherit it), keeps one composition page
 * open (the last one asked for) and answers "capture frame N of this page at this scale" with a
 * JPEG. It holds playwright and the browser, so the dev server's own process stays small and its
 * event loop free for the preview. It exits when its parent goes away.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { CompositionPage } from '../browser/composition-page.js';
import type { LaunchedBrowser } from '../browser/launch.js';

export interface CaptureJob {
  id: number;
  type: 'capture';
  /** Identifies the document (URL, size): a new key opens a new page. */
  key: string;
  url: string;
  width: number;
  height: number;
  frame: number;
  scale: number;
}

export type WorkerReply = { id: number; ok: true; jpeg: string } | { id: number; ok: false; message: string };

try {
  setPriority(19);
} catch {
  /* not allowed here: normal priority */
}

/**
 * Chromium raises some of its own processes and threads (the browser, the GPU process) when it
 * may, and threads made before this process lowered itself kept their priority: put every thread
 * of this process and of every process under it at the lowest priority. Linux only
 * (it reads /proc); elsewhere the inherited priority is all there is.
 */
function lowerDescendants(): void {
  if (process.platform !== 'linux') return;
  const parents = new Map<number, number>();
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        /* gone meanwhile */
      }
    }
  } catch {
    return;
  }
  const family = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!family.has(pid) && family.has(ppid)) {
        family.add(pid);
        grew = true;
      }
    }
  }
  for (const pid of family) {
    let threads: string[];
    try {
      threads = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of threads) {
      try {
        setPriority(Number(tid), 19);
      } catch {
        /* gone, or not allowed */
      }
    }
  }
}

let browser: Promise<LaunchedBrowser> | null = null;
let page: { key: string; page: CompositionPage; capture(scale: number): Promise<Buffer> } | null = null;

async function openPage(job: CaptureJob): Promise<NonNullable<typeof page>> {
  if (page?.key === job.key) return page;
  await page?.page.close();
  page = null;
  const { launchBrowser } = await import('../browser/launch.js');
  const { openComposition } = await import('../browser/composition-page.js');
  browser ??= launchBrowser({ handleSignals: false });
  let b: LaunchedBrowser;
  try {
    b = await browser;
  } catch (error) {
    browser = null;
    throw error;
  }
  const opened = await openComposition(b.browser, { url: job.url, width: job.width, height: job.height, readyTimeoutMs: 15_000 });
  const cdp = await opened.page.context().newCDPSession(opened.page);
  // Chromium draws the page straight at the thumbnail's size (a clip with a scale below 1).
  const capture = async (scale: number) => {
    const { data } = (await cdp.send('Page.captureScreenshot', {
      format: 'jpeg',
      quality: 72,
      fromSurface: true,
      clip: { x: 0, y: 0, width: job.width, height: job.height, scale },
    })) as { data: string };
    return Buffer.from(data, 'base64');
  };
  page = { key: job.key, page: opened, capture };
  lowerDescendants();
  return page;
}

let chain: Promise<void> = Promise.resolve();
let lowered = 0;

process.on('message', (job: CaptureJob) => {
  if (!job || job.type !== 'capture') return;
  chain = chain.then(async () => {
    let reply: WorkerReply;
    try {
      const p = await openPage(job);
      await p.page.seekFrame(job.frame);
      reply = { id: job.id, ok: true, jpeg: (await p.capture(job.scale)).toString('base64') };
      // Chromium makes new threads as it works: lower them too (every couple of seconds).
      if (Date.now() - lowered > 2000) {
        lowerDescendants();
        lowered = Date.now();
      }
    } catch (error) {
      await page?.page.close().catch(() => {});
      page = null;
      reply = { id: job.id, ok: false, message: (error as Error).message.split('\n')[0] };
    }
    process.send?.(reply);
  });
});

async function shutdown(): Promise<void> {
  await page?.page.close().catch(() => {});
  await (await browser?.catch(() => null))?.close();
  process.exit(0);
}

process.on('disconnect', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
