/**
 * No false positives on the official engine's own examples (read from its installed package).
 * They lint without errors; the only warnings are the intended ones: GSAP from a CDN. Skipped on
 * a machine without the engine, except where it is required (CI sets
 * FRAMESMITH_REQUIRE_OFFICIAL=1): there a missing engine fails.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { engineCacheDir } from '../../../bench/parity/index.mjs';
import { lintProject } from '../../../src/lint/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { itOfficial } from '../../helpers/official.js';

const EXAMPLES = join(engineCacheDir(), 'node_modules', 'hyperframes', 'dist', 'templates');

/** Copies an example; the scaffolds hold placeholders the official CLI fills in, so fill them too. */
function example(name: string): string {
  const dir = join(tempDir(), name);
  cpSync(join(EXAMPLES, name), dir, { recursive: true });
  const fill = (file: string) =>
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('__VIDEO_DURATION__', '10').replaceAll('__VIDEO_SRC__', 'media/video.mp4'));
  mkdirSync(join(dir, 'media'));
  writeFileSync(join(dir, 'media', 'video.mp4'), 'a video the user drops in');
  fill(join(dir, 'index.html'));
  if (existsSync(join(dir, 'compositions'))) for (const f of readdirSync(join(dir, 'compositions'))) fill(join(dir, 'compositions', f));
  return dir;
}

describe('official examples', () => {
  for (const name of ['blank', 'warm-grain']) {
    itOfficial(`${name}: no errors, only the network and font warnings`, async () => {
      const result = await lintProject(example(name));
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // The test run's content cache is empty: the remote files are not cached yet.
      expect(new Set(result.diagnostics.map((d) => d.code))).toEqual(new Set(['remote_not_cached']));
      // Every family they name is one HeyGen's engine draws, and framesmith draws the same.
      expect(result.fonts.length).toBeGreaterThan(0);
      expect(result.fonts.filter((f) => f.status === 'unresolved' || !f.local)).toEqual([]);
    });
  }
});
