// Issue 16 figures: the dataset view on the title-card template (1920×1080, 6 s) with a 100-row
// CSV dropped on the preview: time from the drop to every row on screen showing its thumbnail,
// rows checked and thumbnailed per second over all 100 rows (the server's background browser,
// with frame reuse), and the preview's seek-to-painted p95 with a local render running in the
// render queue, next to the same figure idle. Real dev server (in-process, from dist), real
// Chromium, real render worker.
import { join } from 'node:path';
import { median, percentile, templateProject } from './lib.mjs';

export const title = 'render panel and dataset view (issue 16)';

const COLORS = ['#c8471d', '#1d6fc8', '#2f9e44', '#7048e8', '#e8590c', '#0c8599', '#d6336c', '#5c940d', '#364fc7', '#c92a2a'];

function csv100() {
  const lines = ['eyebrow,headline,accent,background'];
  for (let i = 1; i <= 100; i++)
    lines.push(
      `Chapter ${String(i).padStart(2, '0')},"Row ${i}: the shape of *things* to come",${COLORS[i % 10]},${i % 2 ? '#f1ede4' : '#e4ecf1'}`,
    );
  return `${lines.join('\n')}\n`;
}

async function seekTimes(page, count) {
  return page.evaluate(async (n) => {
    const dev = window.__framesmithDev;
    const frames = dev.state().frameCount;
    const out = [];
    let s = 4242;
    for (let i = 0; i < n; i++) {
      s = (s * 16807) % 2147483647;
      const t0 = performance.now();
      await dev.seek(s % frames);
      out.push(performance.now() - t0);
    }
    return out;
  }, count);
}

export async function run({ root, figure }) {
  const dir = templateProject(root, 'title-card');
  const [{ launchBrowser }, { createDevServer }, { STUDIO_API_PATH }] = await Promise.all([
    import(join(root, 'dist/node/browser/launch.js')),
    import(join(root, 'dist/node/dev/index.js')),
    import(join(root, 'dist/shared/studio-protocol.js')),
  ]);
  const browser = await launchBrowser();
  const server = await createDevServer({ dir, port: 0 });
  await server.ready;
  const origin = new URL(server.url).origin;
  try {
    const context = await browser.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.__framesmithDev?.updates.length > 0, null, { timeout: 30_000 });
    await page.click('[data-testid=open-dataset]');

    // Drop the file: the clock starts when the drop event fires in the page.
    const text = csv100();
    const dropAt = await page.evaluate((body) => {
      const dt = new DataTransfer();
      dt.items.add(new File([body], 'rows.csv', { type: 'text/csv' }));
      const at = performance.now();
      for (const type of ['dragenter', 'dragover', 'drop'])
        window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      return at;
    }, text);
    const t0 = Date.now();
    await page.waitForFunction(
      () => {
        const rows = [...document.querySelectorAll('.ds-row[data-row]')];
        const box = document.querySelector('.ds-scroller')?.getBoundingClientRect();
        const onScreen = rows.filter((r) => {
          const b = r.getBoundingClientRect();
          return box && b.bottom > box.top + 30 && b.top < box.bottom;
        });
        return onScreen.length > 0 && onScreen.every((r) => r.querySelector('img.thumb[data-loaded]')?.complete);
      },
      null,
      { timeout: 120_000, polling: 50 },
    );
    const gridMs = await page.evaluate((at) => performance.now() - at, dropAt);
    const onScreen = await page.evaluate(() => document.querySelectorAll('.ds-row[data-row] img.thumb[data-loaded]').length);
    figure('dataset', `CSV drop (100 rows) to every row on screen with its thumbnail (${onScreen} rows drawn)`, gridMs, 'ms');

    // All 100 rows checked (layout measures at 3 times + the thumbnail) in the background.
    await page.waitForFunction(
      () => /· 100 checked in the page/.test(document.querySelector('[data-testid=dataset-summary]')?.textContent ?? ''),
      null,
      { timeout: 600_000, polling: 100 },
    );
    const allSeconds = (Date.now() - t0) / 1000;
    figure(
      'dataset',
      'rows checked with a thumbnail per second, 100 rows at 1080p (2 pages, frame reuse)',
      100 / allSeconds,
      'rows/s',
      '≥ 10/s',
    );

    // Seek p95 idle, then with a render running in the queue.
    const idle = await seekTimes(page, 200);
    const res = await fetch(`${origin}${STUDIO_API_PATH}jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({
        kind: 'local',
        composition: 'index.html',
        params: { format: 'mp4', quality: 'standard', fps: 30, resolution: '1080p' },
        rows: [{ variables: {} }],
        name: 'bench',
        onConflict: 'number',
      }),
    });
    if (res.status !== 201) throw new Error(`render not queued: ${res.status} ${await res.text()}`);
    const job = await res.json();
    // Wait until frames are being captured.
    for (let i = 0; i < 600; i++) {
      const j = await (await fetch(`${origin}${STUDIO_API_PATH}jobs/${job.id}`)).json();
      if ((j.progress?.done ?? 0) > 5 || j.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const busy = await seekTimes(page, 200);
    const after = await (await fetch(`${origin}${STUDIO_API_PATH}jobs/${job.id}`)).json();
    figure('dataset', 'preview seek to painted p95, idle (200 random frames, 1080p)', percentile(idle, 95), 'ms');
    figure(
      'dataset',
      `preview seek to painted p95 while a local render runs (${after.status}, ${after.progress?.done ?? '?'}/${after.progress?.total ?? '?'} frames when done measuring)`,
      percentile(busy, 95),
      'ms',
    );
    figure('dataset', 'preview seek to painted median while a local render runs', median(busy), 'ms');
    await fetch(`${origin}${STUDIO_API_PATH}jobs/${job.id}/cancel`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: '{}',
    });
    await context.close();
  } finally {
    await server.close();
    await browser.close();
  }
}
