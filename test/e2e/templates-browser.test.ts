// Every template, created at every aspect with the real CLI, rendered to stills by framesmith's own
// snapshot code in a real Chromium: the stills are not blank, a variable override changes the
// pixels, nothing is requested from the network, and (when the official engine is installed on
// this machine) the stills agree with the official engine's (PSNR, reported in psnr.json).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { takeSnapshots } from '../../src/snapshot/snapshot.js';
import { itOfficial } from '../helpers/official.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'framesmith.js');
const MIN_PSNR = 35;

/** A value change per template that must show in the pixels at its middle time. */
const OVERRIDES: Record<string, Record<string, unknown>> = {
  blank: { title: 'Changed title', background: '#2d4a3e' },
  'title-card': { headline: 'Another *title*', accent: '#2255ff' },
  'lower-third': { name: 'Someone Else', accent: '#22aa55' },
  'data-chart': { value: '$9.9M', chart: 'line' },
  captions: { accent: '#ff3366', uppercase: false },
  'social-promo': { accent: '#ff3366', brand: 'Other brand' },
  'logo-reveal': { accent: '#ff3366', brand: 'Acme' },
};
const templates = readdirSync(join(REPO, 'templates')).filter((n) => existsSync(join(REPO, 'templates', n, 'template.json')));
const manifest = (name: string) => JSON.parse(readFileSync(join(REPO, 'templates', name, 'template.json'), 'utf8'));
const base = mkdtempSync(join(tmpdir(), 'framesmith-stills-'));
const psnrReport: Record<string, number[]> = {};
let browser: LaunchedBrowser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  if (Object.keys(psnrReport).length) writeFileSync(join(base, 'psnr.json'), JSON.stringify(psnrReport, null, 2));
});

/** Five times inside the part of the video where the template shows something. */
const timesFor = (d: number) => [1, 0.3 * d, 0.5 * d, 0.7 * d, d - 1].map((t) => Math.round(t * 100) / 100);
const readPng = (file: string) => PNG.sync.read(readFileSync(file));

/** Share of pixels that differ from the top-left pixel by more than 16 in some channel. */
function nonBackgroundShare(png: PNG): number {
  const d = png.data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - d[0]) > 16 || Math.abs(d[i + 1] - d[1]) > 16 || Math.abs(d[i + 2] - d[2]) > 16 || Math.abs(d[i + 3] - d[3]) > 16)
      n++;
  }
  return n / (d.length / 4);
}

function changedShare(a: PNG, b: PNG): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (
      Math.abs(a.data[i] - b.data[i]) +
        Math.abs(a.data[i + 1] - b.data[i + 1]) +
        Math.abs(a.data[i + 2] - b.data[i + 2]) +
        Math.abs(a.data[i + 3] - b.data[i + 3]) >
      24
    )
      n++;
  }
  return n / (a.data.length / 4);
}

/** PSNR over RGBA, in dB (Infinity for identical images). */
function psnr(a: PNG, b: PNG): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += (a.data[i] - b.data[i]) ** 2;
  const mse = sum / a.data.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

function create(name: string, aspect: string, tag = 'stills'): string {
  const dir = join(base, `${name}-${aspect.replace(':', 'x')}-${tag}`);
  const r = spawnSync(process.execPath, [BIN, 'new', dir, '--template', name, '--aspect', aspect, '--quiet'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

describe.each(templates)('template %s in Chromium', (name) => {
  const m = manifest(name);
  const times = timesFor(m.duration);

  it.each(['16:9', '9:16', '1:1'])('gives non-blank stills at %s without network requests', async (aspect) => {
    const dir = create(name, aspect);
    const result = await takeSnapshots({ dir, times, outDir: join(dir, 'stills'), browser });
    expect(result.blocked).toEqual([]);
    expect(result.stills).toHaveLength(5);
    for (const still of result.stills) expect(nonBackgroundShare(readPng(still.file)), `${still.time}s`).toBeGreaterThan(0.003);
  });

  it('changes pixels when a variable changes', async () => {
    const dir = create(name, m.aspect, 'variables');
    const t = [times[2]];
    const plain = await takeSnapshots({ dir, times: t, outDir: join(dir, 'plain'), browser });
    const changed = await takeSnapshots({ dir, times: t, outDir: join(dir, 'changed'), variables: OVERRIDES[name], browser });
    expect(changedShare(readPng(plain.stills[0].file), readPng(changed.stills[0].file))).toBeGreaterThan(0.002);
  });

  itOfficial(`agrees with the official engine's stills (PSNR >= ${MIN_PSNR} dB)`, async (OFFICIAL) => {
    const dir = create(name, m.aspect, 'official');
    const ours = await takeSnapshots({ dir, times, outDir: join(dir, 'ours'), browser });
    const theirsDir = join(dir, '.official');
    const r = spawnSync(OFFICIAL, ['snapshot', dir, '--at', times.join(','), '--no-end', '-o', theirsDir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const theirs = readdirSync(theirsDir)
      .filter((f) => f.startsWith('frame-') && f.endsWith('.png'))
      .sort();
    expect(theirs).toHaveLength(times.length);
    const figures = ours.stills.map((s, i) => psnr(readPng(s.file), readPng(join(theirsDir, theirs[i]))));
    psnrReport[name] = figures.map((f) => Math.round(f * 10) / 10);
    for (const [i, f] of figures.entries()) expect(f, `${name} at ${times[i]}s`).toBeGreaterThanOrEqual(MIN_PSNR);
  });
});
