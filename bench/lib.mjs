// Shared helpers for the benchmark files.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findOfficialEngine } from './parity/engine.mjs';

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

/** Path of the official HyperFrames CLI wrapper, when this machine has it (see bench/parity/engine.mjs). */
export function officialTool(root) {
  const engine = findOfficialEngine({ root });
  return engine.tool && engine.installed ? engine.tool : null;
}

/** Copies bench/compositions/<name> into a temp folder with GSAP and the Inter font vendored. */
export async function benchComposition(root, name) {
  const dir = join(tempDir(), name);
  cpSync(join(root, 'bench', 'compositions', name), dir, { recursive: true, filter: (p) => !/[\\/](vendor|fonts)$/.test(p) });
  const { vendorInto } = await import(pathToFileURL(join(root, 'dist', 'node', 'scaffold', 'vendor.js')).href);
  await vendorInto(dir, ['inter']);
  return dir;
}

/** Per-frame PSNR (dB, RGB) between two videos, up to the shorter one's length. */
export function psnrFrames(a, b) {
  const stats = join(tempDir(), 'psnr.log');
  const r = spawnSync('ffmpeg', ['-hide_banner', '-i', a, '-i', b, '-lavfi', `[0]format=rgb24[x];[1]format=rgb24[y];[x][y]psnr=stats_file=${stats}:shortest=1`, '-f', 'null', '-'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psnr failed: ${r.stderr.slice(-400)}`);
  return readFileSync(stats, 'utf8')
    .split('\n')
    .map((line) => /psnr_avg:(inf|[\d.]+)/.exec(line))
    .filter(Boolean)
    .map((m) => (m[1] === 'inf' ? Infinity : Number(m[1])));
}

/** Frames in a video, counted by decoding (ffprobe). */
export function videoFrames(file) {
  const r = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

/** Memory of a process and all its descendants right now, from /proc (Linux): RSS and PSS sums in bytes. */
export function treeMemory(rootPid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {}
  }
  let rss = 0;
  let pss = 0;
  let processes = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(children.get(pid) ?? []));
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      processes++;
    } catch {}
  }
  return { rss, pss, processes };
}

/**
 * Runs a command, sampling the memory of its process tree every `everyMs`; resolves with the
 * wall time, exit status, output and the peaks (RSS sum, PSS sum, most processes at once).
 */
export function runSampled(cmd, args, { everyMs = 100, ...options } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20000)));
    const peak = { rss: 0, pss: 0, processes: 0 };
    const sample = () => {
      const m = treeMemory(child.pid);
      peak.rss = Math.max(peak.rss, m.rss);
      peak.pss = Math.max(peak.pss, m.pss);
      peak.processes = Math.max(peak.processes, m.processes);
    };
    const timer = setInterval(sample, everyMs);
    child.on('close', (status) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - t0, status, stdout, stderr, peak });
    });
  });
}
