/**
 * framesmith against the official HyperFrames engine (HeyGen's renderer), through the parity
 * harness (bench/parity): on every template, test fixture, parity case and corpus example, both
 * must refuse or both render (except where framesmith refuses a missing project file on purpose); where both render, their frames (first, last, every clip boundary
 * and the frame either side, 10 evenly spaced) must agree at 35 dB PSNR or more.
 *
 * A few compositions cannot reach 35 dB yet for a known reason outside this comparison's reach
 * (KNOWN below, with the cause); for them the test pins the figure measured today as a floor, so
 * a regression still fails. Where the engine itself is not deterministic (parity-random), the
 * test renders it twice and requires every frame framesmith disagrees on to be one where the
 * engine disagrees with itself.
 *
 * The harness gives both sides what HeyGen would get: a project with module scripts
 * (fixtures/build-module, dev-module) is compared on its unpacked `framesmith build` zip; videos
 * are drawn from ffmpeg's decoded frames as `framesmith render` draws them (JPEG or PNG as the engine
 * extracts them, so fixtures/render-media matches inside its video too); the parts of
 * fixtures/probe that the engine draws differently on every render (its timers run on real time,
 * its Math.random is unseeded) are left out of the PSNR (bench/parity/compositions.mjs IGNORE).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { listCompositions, MIN_PSNR, runParity, summaryLine, findCorpus, type ParityResult } from '../../bench/parity/index.mjs';
import { REPO } from '../helpers/fixtures.js';
import { itOfficial, officialWanted } from '../helpers/official.js';

/** Compositions below 35 dB for a reason this comparison cannot remove: the floor measured, and why. */
// None left. play-mode's 33 dB was the engine video's 4:2:0 chroma at saturated edges, not a
// rendering difference: framesmith's frames now pass through that pixel format first (42.1 dB).
const KNOWN: Record<string, { floor: number; cause: string }> = {};

/** Compositions the engine renders differently each time: render it twice. */
const ENGINE_NONDETERMINISTIC = new Set(['parity/parity-random']);

const out = mkdtempSync(join(tmpdir(), 'framesmith-parity-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const compositions = listCompositions({ root: REPO });

describe('parity with the official engine', () => {
  if (officialWanted && !findCorpus(REPO)) {
    itOfficial('finds the corpus of official examples', () => {
      throw new Error('the corpus (../shared/corpus/hyperframes-examples) is missing; set FRAMESMITH_CORPUS');
    });
  }
  for (const c of compositions) {
    const id = `${c.set}/${c.name}`;
    itOfficial(
      `${id}: refuses when the engine refuses, else matches its frames`,
      async (tool) => {
        const [r] = (await runParity({
          root: REPO,
          tool,
          compositions: [c],
          outDir: join(out, c.set, c.name),
          engineRuns: ENGINE_NONDETERMINISTIC.has(id) ? 2 : 1,
          // The corpus: the engine's low-fps video, rendered once per test run and shared with
          // test/e2e/corpus.test.ts (bench/parity/engine-cache.mjs).
          corpusVideo: true,
        })) as ParityResult[];
        const summary = `${id}: ${summaryLine(r)}\nframesmith: ${r.framesmith.message ?? 'renders'}\nengine: ${r.engine.message ?? 'renders'}`;
        // The figures, in the test log (CI's too).
        console.log(`parity ${id}: ${summaryLine(r)}${r.worst ? ` (worst frame ${r.worst.frame}, ${r.worst.why})` : ''}`);
        expect(r.error, summary).toBeUndefined();
        if (r.deliberate) {
          // framesmith refuses a project file that does not exist, on purpose: the engine renders
          // the picture without it, a broken video the user would pay for (docs/limitations.md).
          expect(r.framesmith.message, summary).toMatch(/does not exist|Failed to load/);
          return;
        }
        expect(r.framesmith.refused, summary).toBe(r.engine.refused);
        if (r.engine.refused) return;
        expect(r.framesmith.frameCount, summary).toBe(r.engine.frameCount);
        // At least 10 frames; a composition shorter than that (render-odd-aspect: 0.5 s at 10 fps)
        // compares every one of its frames.
        expect(r.compared, summary).toBeGreaterThanOrEqual(Math.min(10, r.engine.frameCount));
        if (ENGINE_NONDETERMINISTIC.has(id)) {
          expect(r.engineSelfMin!, `${summary}\nthe engine was expected to differ from itself`).toBeLessThan(MIN_PSNR);
          for (const f of r.frames) if (f.psnr < MIN_PSNR) expect(f.engineSelf!, `${summary}\nframe ${f.frame}`).toBeLessThan(MIN_PSNR);
          return;
        }
        const known = KNOWN[id];
        expect(r.min!, `${summary}${known ? `\nknown: ${known.cause}` : ''}`).toBeGreaterThanOrEqual(known ? known.floor : MIN_PSNR);
      },
      20 * 60_000,
    );
  }
});
