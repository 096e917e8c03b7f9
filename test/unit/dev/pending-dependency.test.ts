/**
 * The dev server's gate lets a request for a pre-bundled dependency that Vite is still writing
 * through to Vite (which holds it until the file exists), and nothing else that is missing.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRequestPath } from '../../../src/dev/request-guard.js';
import { isPendingDependency } from '../../../src/dev/pending-dependency.js';
import { tempDir } from '../../helpers/fixtures.js';

describe('a dependency Vite has not written yet', () => {
  const base = tempDir();
  const root = join(base, 'project');
  const cache = join(base, 'vite-cache');
  const elsewhere = join(base, 'elsewhere');
  mkdirSync(root);
  mkdirSync(join(cache, 'deps'), { recursive: true });
  mkdirSync(elsewhere);
  symlinkSync(elsewhere, join(cache, 'out'));

  it('inside the cache folder: passed on to Vite', async () => {
    expect(await isPendingDependency([cache], join(cache, 'deps', 'gsap.js'))).toBe(true);
    // The whole deps folder may not exist yet either (first start).
    expect(await isPendingDependency([cache], join(cache, 'deps_temp_1', 'gsap.js'))).toBe(true);
    expect(await checkRequestPath(root, [cache], `/@fs${join(cache, 'deps', 'gsap.js')}`)).toEqual({ ok: true });
  });

  it('outside the cache folder, through a link out of it, or with `..`: not found', async () => {
    expect(await isPendingDependency([cache], join(elsewhere, 'gsap.js'))).toBe(false);
    expect(await isPendingDependency([cache], join(cache, 'out', 'gsap.js'))).toBe(false);
    expect(await isPendingDependency([cache], `${cache}/deps/../../elsewhere/gsap.js`)).toBe(false);
    expect(await isPendingDependency([cache], cache)).toBe(false);
    const refused = await checkRequestPath(root, [cache], `/@fs${join(cache, 'out', 'gsap.js')}`);
    expect(refused.ok).toBe(false);
    expect(await checkRequestPath(root, [cache], `/@fs${join(base, 'nothing.js')}`)).toMatchObject({ ok: false, status: 404 });
  });
});
