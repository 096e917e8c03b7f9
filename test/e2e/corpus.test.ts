/**
 * The official HyperFrames examples (the corpus, read-only; every step works on copies), as a user
 * brings them: for each, framesmith's lint has no errors where the official lint has none; the dev
 * preview paints a first frame talking to no other origin; snapshot and render work on the
 * original with warnings only (CDN files from the real npm registry, then offline from the cache);
 * `framesmith vendor` makes it self-contained, after which a render with an empty cache and no
 * network makes no network request; and framesmith and the official engine agree on the vendored
 * copy (min PSNR between the two renders, same fps and quality, every frame of the whole clip); and
 * what the author sees agrees with the engine too: `framesmith snapshot --at` stills and the
 * `framesmith dev` preview (the real server, seeked in Chromium) at a few of the engine's frames
 * (spread over the clip, and where the picture changes most), on a copy that declares the
 * comparison's frame rate (data-fps, as the engine is given --fps: some examples draw by the frame
 * interval, see seenCheck). The pipeline is bench/corpus/lib.mjs,
 * which `npm run bench -- corpus` prints as a table.
 *
 * Where framesmith still differs for reasons outside remote files, the gap is pinned below with
 * its cause (KNOWN): the test asserts the gap as it is, so fixing it fails the test and the entry
 * goes.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS shared with the bench (typed below)
import * as corpusLib from '../../bench/corpus/lib.mjs';
import { REPO } from '../helpers/fixtures.js';

interface Result {
  name: string;
  work: string;
  duration: number | null;
  lint: { errors: string[]; officialErrors: number };
  render: { ok: boolean; exit: number; warnings: string[]; error: string | null };
  snapshot: { ok: boolean; exit: number; warnings: string[]; error: string | null };
  vendor: { exit: number; written: number; unresolved: string[] };
  vendoredRender: { ok: boolean; requests: number | null; failed: string[]; error: string | null };
  official: { ok: boolean; frames: number; error: string | null };
  psnr: { frames: number; framesmithFrames: number; min: number; median: number; under: string[] } | null;
  dev: { painted: boolean; overlay: boolean; errors: { source: string; code: string }[]; foreign: string[] };
  seen: { frames: number[]; times: number[]; snapshot: Seen; preview: Seen } | null;
}
/** One seen path against the engine's frames: PSNR per compared frame, or why it produced none. */
type Seen = { min: number; worst: number; values: number[]; error?: undefined } | { error: string };
const lib = corpusLib as {
  findCorpus(root: string): string | null;
  findOfficialEngine(root: string): string | null;
  listExamples(corpus: string): string[];
  checkExample(o: { root: string; corpus: string; engine: string; name: string; log?: (s: string) => void }): Promise<Result>;
  cleanup(work: string): void;
  MIN_PSNR: number;
  SEEN_SPREAD: number;
};

const corpus = lib.findCorpus(REPO);
const engine = lib.findOfficialEngine(REPO);

/** Files the examples load that no registry has: vendor lists them, the vendored copy still asks for them. */
const UNVENDORABLE: Record<string, string[]> = {
  'warm-grain': ['https://www.transparenttextures.com/patterns/natural-paper.png'],
};

/**
 * Gaps that are not about remote files, pinned with their cause (see the file comment), as measured
 * on this branch (docs: /work/notes/issue-11-remote.md). `fails`: snapshot and render of the
 * original and of the vendored copy stop with this error (HeyGen renders them). `psnrBelow`: the
 * renders differ, for the reason given; `floor`: the min PSNR measured (less a margin), so a
 * regression on the rest of the clip still fails.
 */
// None left: airbnb-deck and startup-pitch (render-path bug, fixed: a problem HeyGen renders through
// skipped the seek) now agree at 47.3 / 47.5 dB min.
const KNOWN: Record<string, { fails?: RegExp; psnrBelow?: number; floor?: number; why: string }> = {};

/**
 * Gaps of what the author sees (snapshot stills, dev preview) against the engine, pinned as KNOWN
 * is: `below`, the min PSNR stays under it for the reason given (fixing it fails the test; then the
 * entry goes); `floor`, what was measured less a margin.
 */
const SEEN_KNOWN: Record<string, Partial<Record<'snapshot' | 'preview', { below: number; floor: number; why: string }>>> = {
  'airbnb-deck': {
    preview: {
      below: 35,
      floor: 8.5,
      why:
        'open bug (found 2026-12-04): the live preview shows only the background particles (no cover slide, no ' +
        'globe) at 0, 36 and 71.67 s, also with the problems panel closed, while snapshot stills (46.8 dB and up) and ' +
        "the preview's own filmstrip show the slides. Measured 10.5–12.0 dB.",
    },
  },
};

describe('the corpus of official HyperFrames examples', () => {
  it('is here, and so is the official engine', () => {
    expect(corpus, 'the corpus (shared/corpus/hyperframes-examples above the repository, or FRAMESMITH_CORPUS)').toBeTruthy();
    expect(
      engine && existsSync(engine),
      'the official engine wrapper (shared/tools/hyperframes-official, or FRAMESMITH_OFFICIAL_ENGINE)',
    ).toBeTruthy();
  });

  for (const name of corpus ? lib.listExamples(corpus) : []) {
    describe(name, () => {
      let r: Result;
      beforeAll(async () => {
        r = await lib.checkExample({ root: REPO, corpus: corpus!, engine: engine!, name });
      }, 20 * 60_000);
      afterAll(() => r && lib.cleanup(r.work));

      it('lint: no errors where the official lint has none', () => {
        expect(Number.isFinite(r.lint.officialErrors), 'the official lint ran').toBe(true);
        if (r.lint.officialErrors === 0) expect(r.lint.errors).toEqual([]);
      });

      it('dev: the first frame is painted, from no other origin, with no page, asset or module error', () => {
        expect(r.dev.painted).toBe(true);
        expect(r.dev.foreign).toEqual([]);
        // Lint findings the official lint shares may show; nothing the loading itself raised.
        const loading = r.dev.errors.filter((e) => e.source !== 'lint');
        if (KNOWN[name]?.fails) expect(loading.length, KNOWN[name].why).toBeGreaterThan(0);
        else if (r.lint.officialErrors === 0) expect(loading).toEqual([]);
      });

      it('snapshot and render work on the original, with warnings only (remote files from the registry, then offline from the cache)', () => {
        if (!r.official.ok && r.lint.officialErrors > 0) {
          // The engine refuses this example too (its own lint errors): so does framesmith.
          expect(r.render.exit).not.toBe(0);
          return;
        }
        const fails = KNOWN[name]?.fails;
        if (fails) {
          // Pinned (see KNOWN): fixing the cause makes this fail; then remove the entry.
          expect(r.render.error, KNOWN[name].why).toMatch(fails);
          expect(r.snapshot.error).toMatch(fails);
          return;
        }
        expect(r.render.error).toBeNull();
        expect(r.render.exit).toBe(0);
        expect(r.snapshot.error).toBeNull();
        expect(r.snapshot.exit).toBe(0);
      });

      it('vendor makes it self-contained; the vendored render makes no network request', () => {
        const missing = UNVENDORABLE[name] ?? [];
        expect(r.vendor.exit).toBe(missing.length ? 9 : 0);
        expect(r.vendor.unresolved.map((u) => u.split(' (')[0])).toEqual(missing);
        if (!r.official.ok && r.lint.officialErrors > 0) return;
        if (KNOWN[name]?.fails) {
          expect(r.vendoredRender.error, KNOWN[name].why).toMatch(KNOWN[name].fails!);
          return;
        }
        expect(r.vendoredRender.error).toBeNull();
        expect(r.vendoredRender.requests).toBe(missing.length);
        expect(r.vendoredRender.failed).toEqual(missing);
      });

      it(`framesmith and the official engine agree on the vendored copy (min PSNR ≥ ${lib.MIN_PSNR} dB over the whole clip)`, () => {
        if (!r.official.ok && r.lint.officialErrors > 0) {
          // The engine refuses it (e.g. missing sub-composition files): nothing to compare.
          expect(r.official.error).toBeTruthy();
          return;
        }
        expect(r.official.error).toBeNull();
        if (KNOWN[name]?.fails) {
          // framesmith does not render it yet (see KNOWN): nothing to compare.
          expect(r.psnr).toBeNull();
          return;
        }
        expect(r.psnr, 'both renders of the vendored copy').not.toBeNull();
        // The figure itself, for the notes (also `npm run bench -- corpus`).
        console.log(
          `corpus ${name}: PSNR min ${r.psnr!.min.toFixed(1)} / median ${r.psnr!.median.toFixed(1)} dB over ${r.psnr!.frames} frames`,
        );
        expect(r.psnr!.frames).toBe(r.official.frames);
        expect(r.psnr!.framesmithFrames).toBe(r.official.frames);
        const gap = KNOWN[name];
        if (gap?.psnrBelow) {
          // Pinned: fixing the cause makes this fail; then remove the KNOWN entry.
          expect(r.psnr!.min, gap.why).toBeLessThan(gap.psnrBelow);
          if (gap.floor !== undefined) expect(r.psnr!.min, `${gap.why}\n${r.psnr!.under.join('; ')}`).toBeGreaterThanOrEqual(gap.floor);
          return;
        }
        expect(r.psnr!.min, r.psnr!.under.join('; ')).toBeGreaterThanOrEqual(lib.MIN_PSNR);
      });

      for (const path of ['snapshot', 'preview'] as const) {
        const what = path === 'snapshot' ? '`framesmith snapshot --at` stills' : 'the `framesmith dev` preview, seeked in Chromium,';
        it(`what the author sees: ${what} agree with the engine's render (min PSNR ≥ ${lib.MIN_PSNR} dB at sampled frames)`, () => {
          if (!r.official.ok && r.lint.officialErrors > 0) {
            // The engine refuses it: nothing to compare.
            expect(r.seen).toBeNull();
            return;
          }
          expect(r.seen, 'the seen check ran (the engine rendered the vendored copy)').not.toBeNull();
          const seen = r.seen!;
          const side = seen[path];
          expect(side.error, `${path} of the vendored copy`).toBeUndefined();
          if (side.error !== undefined) return;
          const at = seen.frames.map((n, i) => `${seen.times[i].toFixed(2)} s: ${side.values[i].toFixed(1)} dB`).join(', ');
          console.log(`corpus ${name}: ${path} vs engine min ${side.min.toFixed(1)} dB (${at})`);
          expect(seen.frames.length).toBeGreaterThanOrEqual(Math.min(lib.SEEN_SPREAD, r.official.frames));
          expect(seen.frames.at(-1), 'the last frame is among those compared').toBe(r.official.frames - 1);
          const gap = SEEN_KNOWN[name]?.[path];
          if (gap) {
            expect(side.min, gap.why).toBeLessThan(gap.below);
            expect(side.min, `${gap.why}\n${at}`).toBeGreaterThanOrEqual(gap.floor);
            return;
          }
          expect(side.min, at).toBeGreaterThanOrEqual(lib.MIN_PSNR);
        });
      }
    });
  }
});
