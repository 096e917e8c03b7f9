/**
 * The official engine's renders shared within a test run (bench/parity/engine-cache.mjs): the
 * corpus and parity tests ask for the same example at the same fps from parallel worker
 * processes, and the engine must render it once. Real engine, real files: two callers at once get
 * the same frames from one render; another fps is another render.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { engineVideoRender, listCompositions, renderKey, type EngineVideo } from '../../bench/parity/index.mjs';
import { REPO } from '../helpers/fixtures.js';
import { itOfficial } from '../helpers/official.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'framesmith-engine-renders-test-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe("the engine's shared renders", () => {
  itOfficial(
    'two callers at once get one render; another fps is another render',
    async (tool) => {
      const [fixture] = listCompositions({ root: REPO, sets: ['fixtures'], only: ['fixtures/gsap-basic'] });
      expect(fixture, 'test/fixtures/gsap-basic').toBeTruthy();
      let prepared = 0;
      const prepare = (dest: string) => {
        prepared++;
        fixture.prepare(dest);
      };
      const ask = (fps: number) => engineVideoRender(tool, { name: 'gsap-basic', fps, prepare, cacheDir, timeoutMs: 5 * 60_000 });
      const [a, b] = (await Promise.all([ask(4), ask(4)])) as EngineVideo[];
      expect(prepared, 'the project was copied for one render only').toBe(1);
      expect(a.ok && b.ok, a.log.slice(-2000)).toBe(true);
      // gsap-basic lasts 3 s: 12 frames at 4 fps, the same files for both callers.
      expect(a.frameCount).toBe(12);
      expect(b.frames).toEqual(a.frames);
      expect([a.shared, b.shared].sort()).toEqual([false, true]);
      expect(readFileSync(a.frames[5]).equals(readFileSync(b.frames[5]))).toBe(true);

      const c = (await ask(2)) as EngineVideo;
      expect(prepared, 'another fps renders again').toBe(2);
      expect(c.frameCount).toBe(6);
      // Finished entries only: no lock or partial folder is left behind.
      expect(readdirSync(cacheDir).sort()).toEqual([renderKey('gsap-basic', 2), renderKey('gsap-basic', 4)].sort());
    },
    10 * 60_000,
  );
});
