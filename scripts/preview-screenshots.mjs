// Takes the dev preview screenshots in docs/ with the real dev server and Chromium:
// `node scripts/preview-screenshots.mjs` (after `npm run build`; needs ffmpeg for the media).
// Each shot starts from a fresh copy of a template or test fixture, so it can be taken again.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const imp = (p) => import(pathToFileURL(join(root, p)).href);
const { createDevServer } = await imp('dist/node/dev/index.js');
const { launchBrowser } = await imp('dist/node/browser/launch.js');

function copy(from) {
  const dir = join(mkdtempSync(join(tmpdir(), 'framesmith-shots-')), 'project');
  cpSync(join(root, from), dir, { recursive: true });
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  copyFileSync(join(root, 'node_modules/gsap/dist/gsap.min.js'), join(dir, 'vendor/gsap.min.js'));
  return dir;
}

function ffmpeg(args) {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

const browser = await launchBrowser();
async function shot(dir, { query = '', viewport = { width: 1600, height: 1000 }, prefs = {}, before = async () => {}, out, data }) {
  const server = await createDevServer({ dir, port: 0, data });
  await server.ready;
  const context = await browser.browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript((p) => localStorage.setItem('framesmith.dev.view', JSON.stringify(p)), prefs);
  const page = await context.newPage();
  await page.goto(`${server.url}${query}`);
  await page.waitForFunction(() => window.__framesmithDev?.updates.length > 0, null, { timeout: 30_000 });
  // Let the filmstrip, waveforms and thumbnails arrive.
  for (let i = 0; i < 30; i++) {
    const f = await page.evaluate(() => window.__framesmithDev.filmstrip());
    if (f.current >= 8 || f.count > 20) break;
    await page.waitForTimeout(500);
  }
  await page.waitForTimeout(800);
  await before(page);
  await page.screenshot({ path: join(root, 'docs', out) });
  console.log(`docs/${out}`);
  await context.close();
  await server.close();
}

try {
  // The overview: nested sub-compositions, tweens, media, a range.
  const timeline = copy('test/fixtures/dev-timeline');
  mkdirSync(join(timeline, 'media'), { recursive: true });
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=220:duration=3',
    '-af',
    'volume=0.8,apulsator=hz=2',
    '-ac',
    '2',
    join(timeline, 'media', 'tone.wav'),
  ]);
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=30:duration=3',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    join(timeline, 'media', 'clip.mp4'),
  ]);
  await shot(timeline, {
    query: '?frame=75',
    prefs: { zoom: 'fit', guides: true, timelineHeight: 420 },
    out: 'dev-preview.png',
    before: async (page) => {
      const p = await page.evaluate(() => window.__framesmithDev.timeline.itemPoint('#box'));
      await page.mouse.dblclick(p.x, p.y);
      const t = await page.evaluate(() => window.__framesmithDev.timeline.tweenPoint('scene', '#scene-title'));
      await page.mouse.move(t.x, t.y);
      await page.waitForTimeout(300);
    },
  });

  // Problems: the badge's list with a GSAP warning at its line, a variable blamed for its value.
  const problems = copy('test/fixtures/dev-problems');
  mkdirSync(join(problems, 'images'), { recursive: true });
  ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x4cc9f0:s=64x64', '-frames:v', '1', join(problems, 'images', 'logo.png')]);
  await shot(problems, {
    query: `?frame=30&vars=${encodeURIComponent(JSON.stringify({ logo: 'images/logo-v2.png' }))}`,
    viewport: { width: 1400, height: 860 },
    out: 'dev-problems.png',
    before: async (page) => {
      await page.waitForFunction(() => document.querySelector('.var[data-var=logo]')?.classList.contains('fails'), null, {
        timeout: 15_000,
      });
      await page.locator('.problems-badge').click();
      await page.waitForTimeout(200);
    },
  });

  // A 9:16 social composition in a 1280×720 window with TikTok's safe zones.
  const social = copy('templates/social-promo');
  await shot(social, {
    query: '?frame=40',
    viewport: { width: 1280, height: 720 },
    prefs: { zoom: 'fit', guides: true, safeZone: 'tiktok' },
    out: 'dev-safe-zones.png',
  });

  // The data chart's JSON variable in its editor.
  const chart = copy('templates/data-chart');
  await shot(chart, {
    query: '?frame=150',
    viewport: { width: 1400, height: 860 },
    out: 'dev-json-variable.png',
    before: async (page) => {
      await page.locator('.var[data-var=data] textarea').scrollIntoViewIfNeeded();
    },
  });

  // The render panel beside the dataset view: a CSV's rows with thumbnails and their problems.
  const rows = copy('test/fixtures/dev-basic');
  writeFileSync(
    join(rows, 'rows.csv'),
    [
      'title,boxColor,size,extra',
      'Hello,#ff0000,80,a',
      'A very very long title,#00ff00,120,b',
      'Short,#0000ff,300,c',
      'Last one,#ffaa00,60,d',
      '',
    ].join('\n'),
  );
  await shot(rows, {
    viewport: { width: 1440, height: 900 },
    data: join(rows, 'rows.csv'),
    out: 'render-panel.png',
    before: async (page) => {
      await page.click('[data-testid=open-render]');
      await page.waitForSelector('[data-testid=render-panel]:not([hidden])');
      await page.waitForFunction(
        () => /4 checked in the page/.test(document.querySelector('[data-testid=dataset-summary]')?.textContent ?? ''),
        null,
        { timeout: 60_000 },
      );
      await page.waitForTimeout(500);
    },
  });
} finally {
  await browser.close();
}
