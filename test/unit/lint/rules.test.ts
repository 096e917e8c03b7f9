/**
 * Every lint rule against its fixtures (test/fixtures/lint/<code>/{fires,passes}, written by
 * generate.mjs): the rule reports the project made to break it, with a location, and reports
 * nothing at all on a correct look-alike.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/lint/catalog.js';
import { lintProject } from '../../../src/lint/index.js';
import { useFixture } from '../../helpers/fixtures.js';
import { defaultContentCache } from '../../../src/remote/content-cache.js';

/** Fixtures that need something git cannot hold. */
const SETUP: Record<string, { fires?: (dir: string) => void | Promise<unknown>; passes?: (dir: string) => void }> = {
  file_refused: {
    fires: (dir) => symlinkSync('/etc/hostname', join(dir, 'img', 'linked.png')),
    passes: (dir) => symlinkSync('logo.png', join(dir, 'img', 'linked.png')),
  },
  file_too_large: {
    // One byte over the 10 MB limit for stylesheets.
    fires: (dir) => writeFileSync(join(dir, 'css', 'big.css'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)),
  },
  // The test run's own content cache (test/global-setup.ts) gets a copy of the URL.
  remote_resource: {
    fires: () =>
      defaultContentCache().put('https://fonts.example.org/cached.css', Buffer.from('body{}'), {
        contentType: 'text/css',
        source: 'network',
      }),
  },
};

async function lintFixture(code: string, kind: 'fires' | 'passes') {
  const dir = useFixture(`lint/${code}/${kind}`);
  await SETUP[code]?.[kind]?.(dir);
  return lintProject(dir);
}

describe('lint rules', () => {
  for (const rule of RULES) {
    describe(rule.code, () => {
      it('reports the broken fixture, with its severity and a location', async () => {
        const result = await lintFixture(rule.code, 'fires');
        const found = result.diagnostics.filter((d) => d.code === rule.code);
        expect(found.length, JSON.stringify(result.diagnostics, null, 1)).toBeGreaterThan(0);
        expect(found[0].loc?.file).toBeTruthy();
        expect(found[0].loc!.line).toBeGreaterThan(0);
        expect(found[0].message.length).toBeGreaterThan(10);
        expect(found[0].hint).toBeTruthy();
        if (rule.severity === 'error') expect(result.ok).toBe(false);
      });
      it('reports nothing on the correct look-alike', async () => {
        const result = await lintFixture(rule.code, 'passes');
        expect(result.diagnostics).toEqual([]);
        expect(result.ok).toBe(true);
      });
    });
  }
});
