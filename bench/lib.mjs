// Shared helpers for the benchmark files.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
export function tempDir(prefix = 'framesmith-bench-') {
  return mkdtempSync(join(tmpdir(), prefix));
}
/** A fresh project from a template via the real CLI (`framesmith new`), for benchmarks. */
export function templateProject(root, template, aspect = '16:9') {
  const dir = join(tempDir(), template);
  const r = spawnSync(process.execPath, [join(root, 'bin/framesmith.js'), 'new', dir, '--template', template, '--aspect', aspect], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`framesmith new failed: ${r.stderr}`);
  return dir;
}
/** Copies a test fixture into a temp folder (with gsap vendored). */
export function fixtureProject(root, name) {
  const dir = join(tempDir(), name);
  cpSync(join(root, 'test/fixtures', name), dir, { recursive: true });
  cpSync(join(root, 'node_modules/gsap/dist/gsap.min.js'), join(dir, 'vendor/gsap.min.js'));
  return dir;
}
/** Wall time in ms of a synchronous child process. */
export function timeCommand(cmd, args, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  return { ms: performance.now() - t0, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** PSNR (dB, RGB average) between two images or video frames, via ffmpeg's psnr filter. */
export function psnr(a, b) {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-i', a, '-i', b, '-lavfi', '[0]format=rgb24[x];[1]format=rgb24[y];[x][y]psnr', '-f', 'null', '-'], { encoding: 'utf8' });
  const m = /average:(inf|[\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`psnr failed: ${r.stderr.slice(-400)}`);
  return m[1] === 'inf' ? Infinity : Number(m[1]);
}

/** Path of the official HyperFrames CLI wrapper, when this machine has it. */
export function officialTool(root) {
  const tool = join(root, '..', 'shared', 'tools', 'hyperframes-official');
  return existsSync(tool) ? tool : null;
}
