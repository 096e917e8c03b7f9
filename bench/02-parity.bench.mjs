// Issue 2 figures: do framesmith's stills match the official HyperFrames engine's? PSNR of our
// snapshot against the official snapshot (GSAP and sub-composition fixtures) and against frames
// of the official render (the time probe without timers and randomness, which the official
// engine does not make deterministic). Skipped when the official CLI is not on this machine.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureProject, median, officialTool, psnr, tempDir, timeCommand } from './lib.mjs';

export const title = 'pixel parity with the official engine (issue 2)';

function ours(root, dir, times) {
  const out = tempDir();
  const r = timeCommand(process.execPath, [join(root, 'bin/framesmith.js'), 'snapshot', dir, '--at', times.join(','), '--out', out, '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout).stills.map((s) => s.file);
}

function officialStills(tool, dir, times) {
  const out = tempDir();
  const r = spawnSync(tool, ['snapshot', dir, '--at', times.join(','), '--no-end', '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return readdirSync(out).filter((f) => f.startsWith('frame-') && f.endsWith('.png')).sort().map((f) => join(out, f));
}

function officialRenderFrames(tool, dir, times, fps) {
  const out = tempDir();
  const video = join(out, 'official.mp4');
  const r = spawnSync(tool, ['render', dir, '-o', video], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return times.map((t, i) => {
    const png = join(out, `f${i}.png`);
    spawnSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', `select=eq(n\\,${Math.round(t * fps)})`, '-vframes', '1', png]);
    return png;
  });
}

export async function run({ root, figure, log }) {
  const tool = officialTool(root);
  if (!tool) return log('official CLI not available: skipped');
  const cases = [
    { name: 'gsap-basic (GSAP timeline, clips, variables)', fixture: 'gsap-basic', times: [0.3, 1, 1.5, 2.6], against: 'snapshot' },
    { name: 'subcomp (two sub-composition instances)', fixture: 'subcomp', times: [0.25, 1.25, 2.5, 3.9], against: 'snapshot' },
    { name: 'probe-parity (Date.now, rAF, CSS, WAAPI, GSAP) vs official render', fixture: 'probe-parity', times: [0.5, 1.5, 2.5, 3.5], against: 'render' },
  ];
  for (const c of cases) {
    const dir = fixtureProject(root, c.fixture);
    const mine = ours(root, dir, c.times);
    const theirs = c.against === 'snapshot' ? officialStills(tool, dir, c.times) : officialRenderFrames(tool, dir, c.times, 30);
    const values = mine.map((f, i) => psnr(f, theirs[i]));
    const shown = (v) => (v === Infinity ? 'identical' : v.toFixed(1));
    log(`${c.name}: ${values.map(shown).join(', ')} dB at ${c.times.join(', ')} s`);
    figure('parity', `${c.fixture} PSNR min`, Math.min(...values), 'dB', '>= 35 dB');
    figure('parity', `${c.fixture} PSNR median`, median(values), 'dB');
  }
}
