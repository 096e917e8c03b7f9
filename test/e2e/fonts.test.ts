/**
 * Fonts as HeyGen's engine resolves them, in real Chromium through the CLI: every row of the
 * fonts-rows fixture draws the same text, and rows the engine resolves to the same face must be
 * the same pixels as a row that declares that face itself (files copied from the @fontsource
 * packages). When the official engine is installed, its render of the same page agrees row by
 * row, except where the cloud has a face the engine cannot fetch offline (Inter 300 and 500 come
 * from Google Fonts in the cloud; offline the engine draws 400). With
 * FRAMESMITH_FONTS_AS_OFFLINE_ENGINE=1 (set by the parity harness only) framesmith draws those rows
 * as the offline engine does, and every row agrees.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { PNG as PngJs } from 'pngjs';
import { launchBrowser } from '../../src/browser/launch.js';
import { runCli } from '../helpers/cli.js';
import { startDev, waitUpdates } from './dev-helpers.js';
import { REPO, tempDir, useFixture } from '../helpers/fixtures.js';

// shared/ sits beside the clone (CI, /work/main) or two levels up (a worktree under /work/wt).
const OFFICIAL =
  [join(REPO, '..', 'shared'), join(REPO, '..', '..', 'shared')]
    .map((d) => join(d, 'tools', 'hyperframes-official'))
    .find((f) => existsSync(f)) ?? '';
const officialReady =
  Boolean(OFFICIAL) && existsSync(join(homedir(), '.cache', 'framesmith-oracle', 'node_modules', '.bin', 'hyperframes'));
const FONTSOURCE = join(REPO, 'node_modules', '@fontsource');
const BG = [0x10, 0x14, 0x18];
const ROW = 40;

type Image = { width: number; height: number; data: Buffer };
const read = (file: string): Image => PngJs.sync.read(readFileSync(file));

/** RGB of a pixel, transparent areas over the page background (the engine's PNG frames keep alpha). */
function rgb(img: Image, i: number): number[] {
  const a = img.data[i + 3] / 255;
  return [0, 1, 2].map((k) => img.data[i + k] * a + BG[k] * (1 - a));
}

/** PSNR between row `ra` of `a` and row `rb` of `b` (40 px bands, left 700 px where the text is). */
function rowPsnr(a: Image, ra: number, b: Image, rb: number): number {
  let se = 0;
  let n = 0;
  for (let y = 0; y < ROW; y++) {
    for (let x = 0; x < 700; x++) {
      const p = rgb(a, ((ra * ROW + y) * a.width + x) * 4);
      const q = rgb(b, ((rb * ROW + y) * b.width + x) * 4);
      for (let k = 0; k < 3; k++) se += (p[k] - q[k]) ** 2;
      n += 3;
    }
  }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / n));
}

/** The fixture with its reference faces copied from the @fontsource packages. */
function rowsProject(): string {
  const dir = useFixture('fonts-rows');
  mkdirSync(join(dir, 'fonts'));
  const copy = (pkg: string, file: string, to: string) => copyFileSync(join(FONTSOURCE, pkg, 'files', file), join(dir, 'fonts', to));
  copy('inter', 'inter-latin-400-normal.woff2', 'inter-400.woff2');
  copy('inter', 'inter-latin-300-normal.woff2', 'inter-300.woff2');
  copy('inter', 'inter-latin-500-normal.woff2', 'inter-500.woff2');
  copy('nunito', 'nunito-latin-900-normal.woff2', 'nunito-900.woff2');
  copy('eb-garamond', 'eb-garamond-latin-400-normal.woff2', 'eb-garamond-400.woff2');
  return dir;
}

// Rows of the fixture (see its index.html).
const REF_INTER = 0;
const SAME_AS_INTER = {
  1: 'Inter',
  2: 'sans-serif (Inter put first)',
  3: 'Arial (mapped to Inter)',
  4: 'var(--undefined, serif)',
  5: 'style="font-family: monospace"',
  13: 'sans-serif in a sub-composition',
};
const FALLBACK = 6; // "Foobar Sans", sans-serif: no face anywhere
const INTER_300 = 8; // Inter 300: a Google Fonts face in the cloud (row 7 is its reference)
const INTER_500 = 15; // Inter 500: a Google Fonts face in the cloud (row 16 is its reference)
/** Rows the cloud draws with a Google Fonts face of Inter, which the offline engine CLI lacks. */
const GOOGLE_ROWS = [INTER_300, INTER_500];
const LAST_ROW = 16;

/** The engine's render of the rows project (one render shared by the tests that compare with it). */
let engineStill: Promise<Image> | null = null;
function officialStill(dir: string): Promise<Image> {
  engineStill ??= (async () => {
    const copy = join(tempDir(), 'official');
    cpSync(dir, copy, { recursive: true });
    const frames = tempDir();
    const r = spawnSync(OFFICIAL, ['render', copy, '--fps', '1', '--format', 'png-sequence', '-o', frames, '--quiet'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    return read(
      join(
        frames,
        readdirSync(frames)
          .filter((f) => f.endsWith('.png'))
          .sort()[0],
      ),
    );
  })();
  return engineStill;
}

describe("text draws with the faces HeyGen's engine gives", () => {
  let dir: string;
  let still: Image;
  beforeAll(async () => {
    dir = rowsProject();
    const out = tempDir();
    const r = await runCli(['snapshot', dir, '--at', '0', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    still = read(join(out, 'still-0.000s.png'));
  });

  for (const [row, what] of Object.entries(SAME_AS_INTER)) {
    it(`${what}: the engine's Inter 400`, () => {
      expect(rowPsnr(still, Number(row), still, REF_INTER)).toBe(Infinity);
    });
  }

  it('an unknown family falls back (not Inter), as does a family named only in a linked .css file', () => {
    expect(rowPsnr(still, FALLBACK, still, REF_INTER)).toBeLessThan(25);
    expect(rowPsnr(still, 14, still, FALLBACK)).toBe(Infinity);
  });

  it('Inter at 300: the Light face the cloud fetches from Google Fonts, from @fontsource/inter', () => {
    expect(rowPsnr(still, 8, still, 7)).toBe(Infinity);
    expect(rowPsnr(still, 8, still, REF_INTER)).toBeLessThan(25);
  });

  it('Nunito at 800, a weight the engine does not ship: its 900 face', () => {
    expect(rowPsnr(still, 10, still, 9)).toBe(Infinity);
  });

  it("Georgia: the engine's EB Garamond", () => {
    expect(rowPsnr(still, 12, still, 11)).toBe(Infinity);
  });

  it('Inter at 500: the Medium face the cloud fetches from Google Fonts, from @fontsource/inter', () => {
    expect(rowPsnr(still, INTER_500, still, 16)).toBe(Infinity);
    expect(rowPsnr(still, INTER_500, still, REF_INTER)).toBeLessThan(25);
  });

  it.runIf(officialReady)(
    'the official engine renders every row the same, except Inter 300 and 500 (Google Fonts faces it cannot fetch offline)',
    async () => {
      const theirs = await officialStill(dir);
      for (let row = 0; row <= LAST_ROW; row++) {
        const figure = rowPsnr(still, row, theirs, row);
        if (GOOGLE_ROWS.includes(row)) expect(figure, `row ${row} differs offline`).toBeLessThan(25);
        else expect(figure, `row ${row}`).toBeGreaterThanOrEqual(45);
      }
    },
  );

  describe("FRAMESMITH_FONTS_AS_OFFLINE_ENGINE=1 (parity comparisons only): the offline engine CLI's faces", () => {
    let offline: Image;
    beforeAll(async () => {
      const out = tempDir();
      const r = await runCli(['snapshot', dir, '--at', '0', '--out', out], { env: { FRAMESMITH_FONTS_AS_OFFLINE_ENGINE: '1' } });
      expect(r.code, r.stderr).toBe(0);
      offline = read(join(out, 'still-0.000s.png'));
    });

    it('Inter 300 and 500 draw with the embedded 400 face, as the engine does without Google Fonts', () => {
      for (const row of GOOGLE_ROWS) {
        expect(rowPsnr(offline, row, offline, REF_INTER), `row ${row}`).toBe(Infinity);
        expect(rowPsnr(offline, row, still, row), `row ${row} differs from the cloud's face`).toBeLessThan(25);
      }
    });

    it('every other row is the same pixels as without it', () => {
      for (let row = 0; row <= LAST_ROW; row++)
        if (!GOOGLE_ROWS.includes(row)) expect(rowPsnr(offline, row, still, row), `row ${row}`).toBe(Infinity);
    });

    it.runIf(officialReady)('the official engine renders every row the same, Inter 300 and 500 included', async () => {
      const theirs = await officialStill(dir);
      for (let row = 0; row <= LAST_ROW; row++) expect(rowPsnr(offline, row, theirs, row), `row ${row}`).toBeGreaterThanOrEqual(45);
    });
  });
});

describe('the dev preview draws the same faces', () => {
  it('rows resolved to one face match its reference row in the preview', async () => {
    const dir = rowsProject();
    const [browser, server] = await Promise.all([launchBrowser(), startDev(dir)]);
    try {
      const context = await browser.browser.newContext({ viewport: { width: 1900, height: 1100 } });
      await context.addInitScript(() => localStorage.setItem('framesmith.dev.view', JSON.stringify({ zoom: 1 })));
      const page = await context.newPage();
      await page.goto(server.url);
      await waitUpdates(page, 1);
      // The composition's own fonts are loaded once the preview has painted; wait for the iframe's too.
      await page.evaluate(() => window.__framesmithDev.frameWindow()!.document.fonts.ready);
      const shot: Image = PngJs.sync.read(await page.locator('.frame-scale').screenshot());
      expect([shot.width, shot.height]).toEqual([1280, 720]);
      for (const row of Object.keys(SAME_AS_INTER)) expect(rowPsnr(shot, Number(row), shot, REF_INTER), `row ${row}`).toBe(Infinity);
      expect(rowPsnr(shot, 8, shot, 7)).toBe(Infinity);
      expect(rowPsnr(shot, INTER_500, shot, 16)).toBe(Infinity);
      expect(rowPsnr(shot, 10, shot, 9)).toBe(Infinity);
      expect(rowPsnr(shot, FALLBACK, shot, REF_INTER)).toBeLessThan(25);
    } finally {
      await server.close();
      await browser.close();
    }
  });
});
