/**
 * The runtime runs composition pages with the semantics of HeyGen's renderer in render mode
 * (hyperframes 0.8.170), without the engine at hand: its GSAP timeline stand-in, its readiness
 * rules (what makes it refuse a render, what it renders through), its clock, and where it plays
 * nested compositions. The parity tests compare the same fixtures frame by frame with the engine.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BootOptions, RuntimeProblem } from '../../shared/control.js';
import { useFixture } from '../helpers/fixtures.js';
import { launchBrowser, openProject } from '../helpers/page.js';

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const SIZE = { width: 640, height: 360 };

/** Opens a parity fixture, seeks to `time` and reads `read` in the page (or the x of the element `read` selects). */
async function probe<T>(
  fixture: string,
  time: number,
  read: (() => T) | string,
  boot: BootOptions = {},
): Promise<{ value: T; problems: RuntimeProblem[] }> {
  const opened = await openProject(browser, useFixture(fixture), SIZE, boot);
  try {
    await opened.page.seekTime(time);
    const value =
      typeof read === 'string'
        ? ((await opened.page.page.evaluate(
            (sel) => Number((window as unknown as { gsap: { getProperty(t: string, p: string): number } }).gsap.getProperty(sel, 'x')),
            read,
          )) as T)
        : await opened.page.page.evaluate(read);
    return { value, problems: await opened.page.problems() };
  } finally {
    await opened.close();
  }
}

const x = (sel: string) => sel;

describe('the timeline stand-in', () => {
  test('tl.labels is undefined in render mode: the script throws before registering, and the page is refused with the cause and the fix', async () => {
    const { problems } = await probe('parity-labels-subcomp', 0, () => null);
    const refusal = problems.find((p) => p.code === 'timeline_script_failure');
    expect(refusal?.fatal).toBe(true);
    expect(refusal?.message).toMatch(/No timeline was registered for composition "part" \(compositions\/part\.html\)/);
    expect(refusal?.message).toMatch(/`tl\.labels` is undefined in HeyGen's renderer \(compositions\/part\.html:\d+\)/);
    expect(refusal?.hint).toMatch(/use the label name as the position, e\.g\. "hold5\+=0\.05"/i);
  });

  test('in the dev preview the same read keeps its value, so the preview plays, and it is reported', async () => {
    const { value, problems } = await probe('parity-labels-subcomp', 2, x('#host .mover'), { engineMode: 'preview' });
    expect(problems.filter((p) => p.fatal)).toEqual([]);
    expect(problems.find((p) => p.code === 'timeline_property_unavailable')?.message).toMatch(
      /`tl\.labels` is undefined in HeyGen's renderer/,
    );
    expect(value).toBeGreaterThan(270);
  });

  test('to/from/set are queued: a value read right after tl.set() is the old one', async () => {
    const { value } = await probe('parity-queued-calls', 0, x('#b'));
    expect(value).toBe(100);
  });

  test('a guarded read falls back as in the cloud', async () => {
    // The tween placed at the fallback (2 s) has not started at 1.5 s.
    const { value, problems } = await probe('parity-labels-guarded', 1.5, () =>
      Number((window as unknown as { gsap: { getProperty(t: string, p: string): number } }).gsap.getProperty('#box', 'y')),
    );
    expect(value).toBe(0);
    expect(problems.filter((p) => p.fatal)).toEqual([]);
  });
});

describe('readiness: refuse exactly what the engine refuses', () => {
  test('a script error after the timeline registered: rendered, the error reported as not fatal', async () => {
    const { problems } = await probe('parity-error-after-register', 1, () => null);
    expect(problems.find((p) => p.kind === 'page-error')?.fatal).toBe(false);
    expect(problems.filter((p) => p.fatal)).toEqual([]);
  });

  test('a throwing inline script stops the inline scripts joined after it, whose timeline never registers: refused', async () => {
    const { problems } = await probe('parity-inline-run-error', 0, () => null);
    expect(problems.find((p) => p.code === 'script_not_run')).toBeTruthy();
    expect(problems.find((p) => p.code === 'timeline_script_failure')?.fatal).toBe(true);
  });

  test('a timeline registered from a timer is waited for', async () => {
    const { value, problems } = await probe('parity-timer-registration', 1.5, x('#box'));
    expect(problems).toEqual([]);
    expect(value).toBeCloseTo(270, 0);
  });

  test('a sub-composition without a timeline and without errors: a warning, rendered without its animation', async () => {
    const { problems } = await probe('parity-timeline-missing', 1, () => null);
    const p = problems.find((q) => q.code === 'timeline_not_registered');
    expect(p?.fatal).toBe(false);
    expect(p?.message).toMatch(/"part" \(compositions\/part\.html\).*waits 45 s for it, then renders without its animation/);
  });
});

describe('the clock', () => {
  test('Date starts at the Unix epoch at time 0; Date.now() in a timeline callback reads the previous frame', async () => {
    const { value } = await probe('parity-date-epoch', 2, () => [
      document.getElementById('year')!.style.width,
      document.getElementById('now')!.style.width,
    ]);
    // 1970 → 100 px; at 2 s the previous frame is 1.9667 s → 1966.67 / 5 px.
    expect(value[0]).toBe('100px');
    expect(parseFloat(value[1])).toBeCloseTo(1966.667 / 5, 1);
  });

  test('animation-frame callbacks run once per frame, after the timelines moved to it', async () => {
    const { value } = await probe('parity-raf-order', 1, () => [
      document.getElementById('dst')!.style.transform,
      Number((window as unknown as { gsap: { getProperty(t: string, p: string): number } }).gsap.getProperty('#src', 'x')),
      document.getElementById('count')!.style.width,
    ]);
    expect(value[0]).toBe(`translateX(${value[1]}px)`);
    expect(value[2]).toBe(`${31 * 6}px`);
  });
});

describe('nested timing', () => {
  test('a composition three deep plays from its own start: 0.5 + 0.5 + 0.5 s in', async () => {
    // C starts at 1.5 s and runs 2 s: halfway at 2.5 s (power2.inOut is symmetric: x = 270).
    const { value } = await probe('parity-nested-deep', 2.5, x('.c-box'));
    expect(value).toBeCloseTo(270, 0);
  });

  test('data-playback-start shifts where the sub-timeline starts', async () => {
    // Clip from 1 s, playback start 0.5 s, 540 px over 2.5 s: at 1 s the mover is 0.5 s in.
    const { value } = await probe('parity-playback-start', 1, x('.mover'));
    expect(value).toBeCloseTo(108, 0);
  });

  test('relative starts resolve across compositions, unknown ids fall back to 0, "bar-2" is one id', async () => {
    const opened = await openProject(browser, useFixture('parity-relative-starts'), SIZE);
    try {
      const clips = await opened.page.page.evaluate(() =>
        (window as unknown as { __framesmith: { clips(): { id: string; start: number; end: number }[] } }).__framesmith.clips(),
      );
      const at = (id: string) => clips.find((c) => c.id === id);
      expect(at('after')).toMatchObject({ start: 2, end: 3 });
      expect(at('overlap')).toMatchObject({ start: 1 });
      expect(at('at-end')).toMatchObject({ start: 1.5 });
      expect(at('uses-bar-2')).toMatchObject({ start: 2.5 });
      expect(at('after-nostart')).toMatchObject({ start: 2.5 });
      expect(at('ghosted')).toMatchObject({ start: 0 });
      expect(at('card-host')).toMatchObject({ start: 3, end: 4.5 });
      expect(at('after-card')).toMatchObject({ start: 4.75 });
      expect(at('inner-late')).toMatchObject({ start: 2.5 });
    } finally {
      await opened.close();
    }
  });
});
