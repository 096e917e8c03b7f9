/**
 * The runtime in a real Chromium: deterministic time (byte-identical stills in any seek order and
 * across browser runs), variables and bindings, and problems reported with their location.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PNG } from '../helpers/png.js';
import { useFixture } from '../helpers/fixtures.js';
import { hashFrames, launchBrowser, openProject } from '../helpers/page.js';
import type { LaunchedBrowser } from '../../src/browser/launch.js';

let browser: LaunchedBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const probeFrames = [0, 7, 15, 30, 31, 45, 60, 75, 90, 105, 119];
function shuffled(list: number[], seed: number): number[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('deterministic time', () => {
  test('the probe (Date.now, rAF, timers, Math.random, CSS, WAAPI, GSAP) gives identical stills forward, backward and shuffled', async () => {
    const dir = useFixture('probe');
    const opened = await openProject(browser, dir, { width: 640, height: 360 }, { fps: 30 });
    try {
      const forward = await hashFrames(opened.page, probeFrames);
      const backward = await hashFrames(opened.page, [...probeFrames].reverse());
      const random = await hashFrames(opened.page, shuffled(probeFrames, 7));
      for (const f of probeFrames) {
        expect(backward.get(f), `frame ${f} backward`).toBe(forward.get(f));
        expect(random.get(f), `frame ${f} shuffled`).toBe(forward.get(f));
      }
      // The composition moves: neighbouring stills differ.
      expect(new Set(forward.values()).size).toBeGreaterThan(probeFrames.length - 2);
      expect(await opened.page.problems()).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  test('the same stills come out of a second browser run', async () => {
    const dir = useFixture('probe');
    const first = await openProject(browser, dir, { width: 640, height: 360 }, { fps: 30 });
    const a = await hashFrames(first.page, probeFrames);
    await first.close();
    const other = await launchBrowser();
    try {
      const second = await openProject(other, dir, { width: 640, height: 360 }, { fps: 30 });
      const b = await hashFrames(second.page, shuffled(probeFrames, 3));
      await second.close();
      for (const f of probeFrames) expect(b.get(f), `frame ${f}`).toBe(a.get(f));
    } finally {
      await other.close();
    }
  });

  test('the probe at 2.5 s shows what its scripts compute for that time', async () => {
    const dir = useFixture('probe');
    const opened = await openProject(browser, dir, { width: 640, height: 360 }, { fps: 30 });
    try {
      await opened.page.seekTime(2.5);
      const png = PNG.decode(await opened.page.capture());
      const accent = [0xe4, 0x57, 0x2e];
      // Date.now bar: 2500 ms / 10 = 250 px wide; setTimeout(1 s) bar: 300 px; interval: 10 ticks × 20 px.
      expect(png.pixel(245, 20)).toEqual(accent);
      expect(png.pixel(255, 20)).not.toEqual(accent);
      expect(png.pixel(295, 80)).toEqual(accent);
      expect(png.pixel(195, 110)).toEqual(accent);
      expect(png.pixel(205, 110)).not.toEqual(accent);
      // The clip #late (2 s – 3.5 s) is visible, white.
      expect(png.pixel(580, 320)).toEqual([255, 255, 255]);
      await opened.page.seekTime(1);
      expect(PNG.decode(await opened.page.capture()).pixel(580, 320)).not.toEqual([255, 255, 255]);
    } finally {
      await opened.close();
    }
  });

  test('a GSAP-only composition seeks backward without reloading', async () => {
    const dir = useFixture('gsap-basic');
    const opened = await openProject(browser, dir, { width: 1280, height: 720 }, { fps: 30 });
    try {
      const frames = [0, 20, 45, 89, 30, 10, 0, 60];
      const first = await hashFrames(opened.page, frames);
      const again = await hashFrames(opened.page, [...frames].reverse());
      for (const f of frames) expect(again.get(f)).toBe(first.get(f));
      expect(opened.page.reloads).toBe(0);
    } finally {
      await opened.close();
    }
  });
});

describe('variables', () => {
  test('overrides reach data-var-text, --id custom properties and getVariables()', async () => {
    const dir = useFixture('gsap-basic');
    const opened = await openProject(
      browser,
      dir,
      { width: 1280, height: 720 },
      { variables: { headline: 'Q3 Growth', accent: '#00ff00', size: 200 } },
    );
    try {
      await opened.page.seekTime(2);
      const facts = await opened.page.page.evaluate(() => ({
        text: document.getElementById('title-text')!.textContent,
        accent: document.getElementById('root')!.style.getPropertyValue('--accent'),
        vars: (window as unknown as { __hyperframes: { getVariables(): unknown } }).__hyperframes.getVariables(),
        width: getComputedStyle(document.getElementById('box')!).width,
      }));
      expect(facts.text).toBe('Q3 Growth');
      expect(facts.accent).toBe('#00ff00');
      expect(facts.vars).toEqual({ headline: 'Q3 Growth', accent: '#00ff00', size: 200 });
      expect(facts.width).toBe('200px');
      const png = PNG.decode(await opened.page.capture());
      expect(png.count(([r, g, b]) => r < 10 && g > 245 && b < 10)).toBeGreaterThan(10_000);
    } finally {
      await opened.close();
    }
  });

  test('without overrides the declared defaults apply', async () => {
    const dir = useFixture('gsap-basic');
    const opened = await openProject(browser, dir, { width: 1280, height: 720 });
    try {
      const vars = await opened.page.page.evaluate(() =>
        (window as unknown as { __hyperframes: { getVariables(): unknown } }).__hyperframes.getVariables(),
      );
      expect(vars).toEqual({ headline: 'Q2 Revenue', accent: '#6c5ce7', size: 120 });
    } finally {
      await opened.close();
    }
  });
});

describe('problems are reported with their location', () => {
  test('a script that throws', async () => {
    const dir = useFixture('bad-script-throws');
    const opened = await openProject(browser, dir, { width: 320, height: 180 });
    try {
      const problems = opened.page.info.errors;
      const thrown = problems.find((p) => p.kind === 'page-error');
      expect(thrown?.message).toMatch(/Cannot read properties of undefined/);
      expect(thrown?.loc).toMatchObject({ file: 'js/app.js', line: 3 });
    } finally {
      await opened.close();
    }
  });

  test('an asset that 404s', async () => {
    const dir = useFixture('bad-asset-404');
    const opened = await openProject(browser, dir, { width: 320, height: 180 });
    try {
      const asset = opened.page.info.errors.find((p) => p.kind === 'asset');
      expect(asset?.message).toContain('images/logo.png');
      expect(asset?.loc?.file).toBe('images/logo.png');
    } finally {
      await opened.close();
    }
  });

  test('a timeline that is never registered', async () => {
    const dir = useFixture('bad-no-timeline');
    const opened = await openProject(browser, dir, { width: 320, height: 180 }, { timelineTimeoutMs: 300 });
    try {
      const problem = opened.page.info.errors.find((p) => p.kind === 'timeline');
      expect(problem?.message).toContain('No GSAP timeline was registered for composition "main"');
      expect(problem?.hint).toContain('window.__timelines["main"] = tl');
    } finally {
      await opened.close();
    }
  });
});
