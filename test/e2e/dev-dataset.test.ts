/**
 * The dataset view in a real Chromium against a real dev server started with `--data`: every
 * row of the CSV in the grid with its problems (invalid values with their column, text past its
 * box measured from the page's layout, an image that fails to load), a thumbnail per row drawn
 * by the server with the row's values (pixels checked), a click shows the row in the preview,
 * selected rows render as a batch, a dropped file replaces the rows, an edit of the composition
 * redraws the thumbnails, and 10,000 rows keep the page to a few dozen row elements.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { createDevServer, type DevServer } from '../../src/dev/index.js';
import { tempDir, vendorGsap } from '../helpers/fixtures.js';
import { openPreview } from './dev-helpers.js';

const VARIABLES = [
  { id: 'headline', type: 'string', label: 'Headline', default: 'Hello', maxLength: 60 },
  { id: 'accent', type: 'color', label: 'Accent', default: '#ffffff' },
  { id: 'photo', type: 'image', label: 'Photo', default: 'img/ok.svg' },
  { id: 'count', type: 'number', label: 'Count', default: 1, min: 0, max: 10 },
  { id: 'tagline', type: 'string', label: 'Tagline', default: 'Made with care' },
];

/** 640×360, 2 s: a headline in a 300 px box, an accent block at (500, 250) 100×80, a photo. */
function html(blockLeft = 500): string {
  return `<!doctype html>
<html lang="en" data-composition-variables='${JSON.stringify(VARIABLES)}'>
<head>
  <meta charset="utf-8">
  <style>
    html, body { margin: 0; background: #000; }
    #root { position: relative; width: 640px; height: 360px; overflow: hidden; background: #000; font-family: sans-serif; }
    #headline { position: absolute; left: 20px; top: 20px; width: 300px; white-space: nowrap; color: #fff; font: 700 36px sans-serif; }
    #block { position: absolute; left: ${blockLeft}px; top: 250px; width: 100px; height: 80px; background: var(--accent); }
    #photo { position: absolute; left: 20px; top: 200px; width: 40px; height: 40px; }
    #tagline { position: absolute; left: 20px; top: 100px; width: 600px; height: 40px; overflow: hidden; color: #fff; font: 24px sans-serif; }
    /* Each word in a mask a little shorter than its line: the glyph boxes pass it by design (with the defaults too). */
    #tagline span { display: inline-block; margin-right: 8px; height: 20px; overflow: hidden; }
  </style>
</head>
<body>
  <div id="root" data-composition-id="main" data-width="640" data-height="360" data-start="0" data-duration="2" data-fps="30">
    <div id="headline" class="clip" data-start="0" data-duration="2" data-track-index="0" data-var-text="headline">Hello</div>
    <div id="block" class="clip" data-start="0" data-duration="2" data-track-index="1"></div>
    <img id="photo" class="clip" data-start="0" data-duration="2" data-track-index="2" data-var-src="photo" src="img/ok.svg" alt="">
    <div id="tagline" class="clip" data-start="0" data-duration="2" data-track-index="3"></div>
  </div>
  <script src="vendor/gsap.min.js"></script>
  <script>
    const tl = gsap.timeline({ paused: true });
    tl.to('#photo', { y: 40, duration: 2, ease: 'none' }, 0);
    // The tagline's words slide up into their line one after another (masked by #tagline), as
    // title templates do: out of the mask while they move, never once they are in.
    const line = document.getElementById('tagline');
    const tagline = (window.__hyperframes?.getVariables?.() ?? {}).tagline ?? 'Made with care';
    line.innerHTML = tagline.split(/\\s+/).map((w) => '<span>' + w + '</span>').join('');
    line.querySelectorAll('span').forEach((w, k) => tl.from(w, { y: 50, duration: 0.4, ease: 'none' }, 0.1 + 0.1 * k));
    window.__timelines = window.__timelines || {};
    window.__timelines.main = tl;
  </script>
</body>
</html>
`;
}

const CSV = [
  'headline,accent,photo,count,tagline',
  'Short,#ff0000,img/ok.svg,3,one two three four five six seven',
  'A headline that is far too long for its box,#00ff00,img/ok.svg,2,Made with care',
  'No photo,#0000ff,img/missing.svg,1,Made with care',
  'Bad count,#ffff00,img/ok.svg,99,Made with care',
].join('\n');

let browser: LaunchedBrowser;
let server: DevServer;
let dir: string;

beforeAll(async () => {
  dir = join(tempDir(), 'dataset-project');
  mkdirSync(join(dir, 'img'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), html());
  writeFileSync(
    join(dir, 'img', 'ok.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#888"/></svg>',
  );
  writeFileSync(join(dir, 'rows.csv'), `${CSV}\n`);
  vendorGsap(dir);
  [browser, server] = await Promise.all([launchBrowser(), createDevServer({ dir, port: 0, data: join(dir, 'rows.csv') })]);
  await server.ready;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function withPreview(fn: (page: Page) => Promise<void>): Promise<void> {
  const page = await openPreview(browser, server);
  try {
    await fn(page);
  } finally {
    await page.context().close();
  }
}

const row = (page: Page, n: number) => page.locator(`.ds-row[data-row="${n}"]`);
const flagsText = (page: Page, n: number) => row(page, n).locator('[data-testid=row-flags]').textContent();

/** RGB at (x, y) of the composition in a row's thumbnail (drawn to a canvas at its natural size, scaled to 640×360). */
async function thumbPixel(page: Page, n: number, x: number, y: number): Promise<[number, number, number]> {
  const img = row(page, n).locator('img.thumb[data-loaded]').first();
  await img.waitFor({ timeout: 60_000 });
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
  return img.evaluate(
    (i: HTMLImageElement, [px, py]) => {
      const c = document.createElement('canvas');
      c.width = i.naturalWidth;
      c.height = i.naturalHeight;
      const g = c.getContext('2d')!;
      g.drawImage(i, 0, 0);
      const d = g.getImageData(Math.round((px * i.naturalWidth) / 640), Math.round((py * i.naturalHeight) / 360), 1, 1).data;
      return [d[0], d[1], d[2]] as [number, number, number];
    },
    [x, y] as const,
  );
}

const near = (a: number[], b: number[], tol = 40) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

describe('dataset view (framesmith dev --data rows.csv)', () => {
  test('every row with its problems: invalid values by column, text past its box, an image that does not load', async () => {
    await withPreview(async (page) => {
      // --data opens the dataset view by itself.
      await page.waitForSelector('[data-testid=dataset]:not([hidden])');
      await expect.poll(() => page.locator('.ds-row[data-row]').count()).toBe(4);
      expect(await page.locator('[data-testid=dataset]').locator('.ds-source').textContent()).toBe('rows.csv · 4 rows');
      // Known at once (as --batch checks values): row 4's count, in its column.
      expect(await flagsText(page, 4)).toMatch(/count/);
      expect(await row(page, 4).locator('.ds-cell.val.bad').textContent()).toBe('99');
      // Measured in the page, in the background.
      await expect.poll(() => flagsText(page, 2), { timeout: 90_000 }).toContain('headline: text past its box');
      await expect.poll(() => flagsText(page, 3), { timeout: 90_000 }).toContain('photo: image did not load');
      // Row 1's seven tagline words (three by default) are out of the line's mask only while they
      // slide in, and pass their own masks as much as the default words do.
      await expect.poll(() => flagsText(page, 1), { timeout: 90_000 }).toBe('OK');
      expect(await flagsText(page, 3)).not.toContain('past its box');
      // The flag says by how much and when.
      const title = await row(page, 2).locator('.flag.k-overflow-box').getAttribute('title');
      expect(title).toMatch(/^Text "A headline that is far too long for its…" reaches \d+ px past its box \(#headline\) at [\d.]+ s/);
      // 43 characters of 36 px bold from x = 20 also reach past the 640 px frame.
      expect(await row(page, 2).locator('.flag.k-overflow-frame').textContent()).toMatch(/^headline: text past the frame at [\d.]+ s$/);
      await expect
        .poll(() => page.locator('[data-testid=dataset-summary]').textContent(), { timeout: 60_000 })
        .toMatch(/^4 rows · 3 with problems · 4 checked in the page/);
      // Filter: rows with problems only.
      await page.selectOption('[data-testid=dataset-filter]', 'problems');
      await expect.poll(() => page.locator('.ds-row[data-row]').count()).toBe(3);
      await page.selectOption('[data-testid=dataset-filter]', 'all');
    });
  });

  test("each row's thumbnail shows its own values; a click shows the row in the preview", async () => {
    await withPreview(async (page) => {
      await page.waitForSelector('[data-testid=dataset]:not([hidden])');
      // The accent block (500–600, 250–330) in each row's colour.
      expect(near(await thumbPixel(page, 1, 550, 290), [255, 0, 0])).toBe(true);
      expect(near(await thumbPixel(page, 3, 550, 290), [0, 0, 255])).toBe(true);
      expect(near(await thumbPixel(page, 4, 550, 290), [255, 255, 0])).toBe(true);
      // Outside the block: the background.
      expect(near(await thumbPixel(page, 1, 450, 100), [0, 0, 0])).toBe(true);

      await row(page, 3).locator('.ds-cell.num').click();
      const frameText = () => page.evaluate(() => window.__framesmithDev.frameWindow()!.document.getElementById('headline')!.textContent);
      await expect.poll(frameText).toBe('No photo');
      expect(await page.locator('#var-headline').inputValue()).toBe('No photo');
      expect(await row(page, 3).getAttribute('class')).toContain('in-preview');
    });
  });

  test('an edit of the composition redraws the thumbnails', async () => {
    await withPreview(async (page) => {
      await page.waitForSelector('[data-testid=dataset]:not([hidden])');
      expect(near(await thumbPixel(page, 1, 550, 290), [255, 0, 0])).toBe(true);
      // The block moves to the left edge: where it was is black now.
      writeFileSync(join(dir, 'index.html'), html(0));
      await expect.poll(async () => near(await thumbPixel(page, 1, 550, 290), [0, 0, 0]), { timeout: 60_000 }).toBe(true);
      expect(near(await thumbPixel(page, 1, 50, 290), [255, 0, 0])).toBe(true);
      // An edit of a file the page loads (the photo, cached by the checking browser) shows too.
      const svg = join(dir, 'img', 'ok.svg');
      const before = readFileSync(svg, 'utf8');
      expect(near(await thumbPixel(page, 1, 40, 232), [136, 136, 136])).toBe(true);
      try {
        writeFileSync(svg, before.replace('#888', '#0ff'));
        await expect.poll(async () => near(await thumbPixel(page, 1, 40, 232), [0, 255, 255]), { timeout: 60_000 }).toBe(true);
      } finally {
        writeFileSync(svg, before);
      }
    });
  });

  test('selected rows render as a batch through the render queue; a row that fails shows why and the others render', async () => {
    await withPreview(async (page) => {
      await page.waitForSelector('[data-testid=dataset]:not([hidden])');
      await row(page, 1).locator('input[type=checkbox]').check();
      await row(page, 3).locator('input[type=checkbox]').check();
      expect(await page.locator('[data-testid=dataset-selected]').textContent()).toBe('2 selected');
      await page.click('[data-testid=dataset-render]');
      await page.click('[data-testid=open-render]');
      const card = page.locator('.job').first();
      expect(await card.locator('.job-title').textContent()).toBe('2 rows of rows.csv');
      // Row 3's picture is missing: a local render refuses it (as the CLI does); row 1 renders.
      await card.locator('[data-testid=job-status]', { hasText: /^1 of 2 done$/ }).waitFor({ timeout: 90_000 });
      expect(await card.locator('.item-label').allTextContents()).toEqual(['Row 1', 'Row 3']);
      expect(await card.locator('[data-item="1"] [data-testid=item-path]').textContent()).toBe('renders/rows-1.mp4');
      expect(await card.locator('[data-item="2"] [data-testid=job-error]').textContent()).toContain('missing.svg');
      expect(await card.locator('[data-item="2"] .item-path').textContent()).toBe('renders/rows-3.mp4');
    });
    // Named by the rows' numbers in the file ({row}), as the Commands export names them.
    expect(statSync(join(dir, 'renders', 'rows-1.mp4')).size).toBeGreaterThan(1000);
    expect(existsSync(join(dir, 'renders', 'rows-3.mp4'))).toBe(false);
    expect(readdirSync(join(dir, 'renders')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  test('a strip shows four times per row; Commands and Batch file export the selected rows', async () => {
    const page = await openPreview(browser, server);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    try {
      await page.waitForSelector('[data-testid=dataset]:not([hidden])');
      await page.locator('[data-testid=dataset-strip]').check();
      await expect.poll(() => row(page, 1).locator('img.thumb[data-loaded]').count(), { timeout: 60_000 }).toBe(4);
      expect(
        await row(page, 1)
          .locator('img.thumb')
          .evaluateAll((imgs) => imgs.map((i) => Number(i.getAttribute('data-time')))),
      ).toEqual([0.25, 0.75, 1.25, 1.75]);

      await row(page, 1).locator('input[type=checkbox]').check();
      await row(page, 2).locator('input[type=checkbox]').check();
      await page.click('[data-testid=dataset-copy-commands]');
      await expect.poll(() => page.locator('.toast').last().textContent()).toBe('Copied 2 commands');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied.split('\n')).toEqual([
        `framesmith render ${dir} --variables '{"headline":"Short","accent":"#ff0000","photo":"img/ok.svg","count":3,"tagline":"one two three four five six seven"}' -o renders/rows-1.mp4`,
        `framesmith render ${dir} --variables '{"headline":"A headline that is far too long for its box","accent":"#00ff00","photo":"img/ok.svg","count":2,"tagline":"Made with care"}' -o renders/rows-2.mp4`,
      ]);

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=dataset-export]')]);
      expect(download.suggestedFilename()).toBe('rows-selected.json');
      const saved = join(tempDir(), 'rows-selected.json');
      await download.saveAs(saved);
      expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual([
        { headline: 'Short', accent: '#ff0000', photo: 'img/ok.svg', count: 3, tagline: 'one two three four five six seven' },
        {
          headline: 'A headline that is far too long for its box',
          accent: '#00ff00',
          photo: 'img/ok.svg',
          count: 2,
          tagline: 'Made with care',
        },
      ]);
      await expect
        .poll(() => page.locator('.toast').last().textContent())
        .toBe(
          `Saved rows-selected.json (2 rows); copied: framesmith render ${dir} --batch rows-selected.json --out-pattern 'renders/rows-{index}.mp4'`,
        );
    } finally {
      await page.context().close();
    }
  });

  test('a dropped file replaces the rows', async () => {
    await withPreview(async (page) => {
      await page.waitForSelector('[data-testid=dataset]:not([hidden])');
      await page.evaluate(() => {
        const dt = new DataTransfer();
        dt.items.add(
          new File([JSON.stringify([{ headline: 'Dropped one' }, { headline: 'Dropped two' }])], 'dropped.json', {
            type: 'application/json',
          }),
        );
        for (const type of ['dragenter', 'dragover', 'drop'])
          window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      await expect.poll(() => page.locator('.ds-source').textContent()).toBe('dropped.json · 2 rows');
      expect(await row(page, 2).locator('.ds-cell.val').first().textContent()).toBe('Dropped two');
      expect(await page.locator('[data-testid=dataset-missing-column]').allTextContents()).toEqual([
        'No column "accent" (Accent): every row gets its default "#ffffff".',
        'No column "photo" (Photo): every row gets its default "img/ok.svg".',
        'No column "count" (Count): every row gets its default 1.',
        'No column "tagline" (Tagline): every row gets its default "Made with care".',
      ]);
    });
  });

  test("a row's image on another server is flagged as not loaded, and that server gets no request", async () => {
    // Another local server (another port: not the page's own origin), as a CDN would be.
    const asked: string[] = [];
    const other = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      res.end('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#f0f"/></svg>');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const remote = `http://127.0.0.1:${(other.address() as AddressInfo).port}/photo.svg`;
    try {
      await withPreview(async (page) => {
        await page.waitForSelector('[data-testid=dataset]:not([hidden])');
        await page.evaluate((src) => {
          const dt = new DataTransfer();
          dt.items.add(
            new File([JSON.stringify([{ headline: 'Local' }, { headline: 'Remote', photo: src }])], 'remote.json', {
              type: 'application/json',
            }),
          );
          for (const type of ['dragenter', 'dragover', 'drop'])
            window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        }, remote);
        await expect.poll(() => page.locator('.ds-source').textContent()).toBe('remote.json · 2 rows');
        await expect.poll(() => flagsText(page, 2), { timeout: 90_000 }).toContain('photo: image did not load');
        expect(await row(page, 2).locator('.flag.k-image').getAttribute('title')).toContain('put the file in the project');
        await expect.poll(() => flagsText(page, 1), { timeout: 90_000 }).toBe('OK');
      });
      expect(asked).toEqual([]);
    } finally {
      other.close();
    }
  });

  test('"Check all" on 600 rows (past the 500 checked by themselves): every row ends checked, problems counted', async () => {
    // Two distinct sets of values: rows with equal values share one page load.
    const lines = ['headline,photo'];
    for (let i = 1; i <= 600; i++) lines.push(i % 2 ? 'Fine,img/ok.svg' : 'Broken,img/gone.svg');
    writeFileSync(join(dir, 'six-hundred.csv'), `${lines.join('\n')}\n`);
    await withPreview(async (page) => {
      await page.waitForSelector('[data-testid=dataset]:not([hidden])');
      await expect.poll(() => page.locator('[data-testid=dataset-project-file] option').allTextContents()).toContain('six-hundred.csv');
      await page.selectOption('[data-testid=dataset-project-file]', 'six-hundred.csv');
      await expect.poll(() => page.locator('.ds-source').textContent()).toBe('six-hundred.csv · 600 rows');
      expect(await page.locator('[data-testid=dataset-summary]').textContent()).toContain('"Check all" checks the rest');
      await page.click('[data-testid=dataset-check-all]');
      await expect
        .poll(() => page.locator('[data-testid=dataset-summary]').textContent(), { timeout: 90_000 })
        .toMatch(/^600 rows · 300 with problems · 600 checked in the page/);
      // The last row (off screen when checked) carries its own flag.
      await page.locator('.ds-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await row(page, 600).waitFor();
      expect(await flagsText(page, 600)).toContain('photo: image did not load');
      expect(await flagsText(page, 599)).toBe('OK');
    });
  });

  test('10,000 rows: the grid draws only the rows on screen', async () => {
    const lines = ['headline,count'];
    for (let i = 1; i <= 10_000; i++) lines.push(`Row ${i},${i % 11}`);
    writeFileSync(join(dir, 'many.csv'), `${lines.join('\n')}\n`);
    await withPreview(async (page) => {
      await page.waitForSelector('[data-testid=dataset]:not([hidden])');
      await expect.poll(() => page.locator('[data-testid=dataset-project-file] option').allTextContents()).toContain('many.csv');
      await page.selectOption('[data-testid=dataset-project-file]', 'many.csv');
      await expect.poll(() => page.locator('.ds-source').textContent()).toBe('many.csv · 10,000 rows');
      expect(await page.locator('.ds-row[data-row]').count()).toBeLessThan(60);
      // Too many to check in full in the background: rows on screen are checked as they show.
      expect(await page.locator('[data-testid=dataset-summary]').textContent()).toContain(
        '(rows on screen are checked; "Check all" checks the rest)',
      );
      await expect.poll(() => flagsText(page, 1), { timeout: 60_000 }).toBe('OK');
      await page.locator('.ds-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await row(page, 10_000).waitFor();
      expect(await page.locator('.ds-row[data-row]').count()).toBeLessThan(60);
      expect(await row(page, 10_000).locator('.ds-cell.val').first().textContent()).toBe('Row 10000');
    });
  });
});
