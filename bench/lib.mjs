// Shared helpers for the benchmark files.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
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
  const r = spawnSync(process.execPath, [join(root, 'bin/framesmith.js'), 'new', dir, '--template', template, '--aspect', aspect], {
    encoding: 'utf8',
  });
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
  const r = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-i', a, '-i', b, '-lavfi', '[0]format=rgb24[x];[1]format=rgb24[y];[x][y]psnr', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
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
  const r = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-i',
      a,
      '-i',
      b,
      '-lavfi',
      `[0]format=rgb24[x];[1]format=rgb24[y];[x][y]psnr=stats_file=${stats}:shortest=1`,
      '-f',
      'null',
      '-',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`psnr failed: ${r.stderr.slice(-400)}`);
  return readFileSync(stats, 'utf8')
    .split('\n')
    .map((line) => /psnr_avg:(inf|[\d.]+)/.exec(line))
    .filter(Boolean)
    .map((m) => (m[1] === 'inf' ? Infinity : Number(m[1])));
}

/** Frames in a video, counted by decoding (ffprobe). */
export function videoFrames(file) {
  const r = spawnSync(
    'ffprobe',
    ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file],
    { encoding: 'utf8' },
  );
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
  const pids = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    pids.push(pid);
    stack.push(...(children.get(pid) ?? []));
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      processes++;
    } catch {}
  }
  return { rss, pss, processes, pids };
}

/** What kind of process a pid of a render's tree is, from its command line (null once it is gone). */
export function processKind(pid) {
  let line;
  try {
    line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return null;
  }
  // A process that exited and was not reaped yet has no command line.
  if (!line) return null;
  const exe = line.split(' ')[0] ?? '';
  // Chromium's children run as /proc/self/exe and rewrite their title; the type flag says which one.
  const type = /--type=([\w-]+)/.exec(line);
  if (type) return `chromium ${type[1]}`;
  if (/chrom/i.test(exe)) return 'chromium browser';
  if (/ffmpeg$/.test(exe)) return 'ffmpeg';
  if (/(^|\/)node$/.test(exe)) return 'node';
  return exe.split('/').pop() || 'other';
}

const TICK = 100; // USER_HZ on Linux

/** CPU seconds (user+sys) of one process so far, from /proc/<pid>/stat. */
function processCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return null;
  }
}

/**
 * Runs a command, sampling the memory of its process tree every `everyMs`; resolves with the
 * wall time, exit status, output, the peaks (RSS sum, PSS sum, most processes at once) and the
 * CPU seconds (user+sys) of the whole tree, total and by kind of process (`ffmpeg`,
 * `chromium renderer`, `chromium gpu-process`, `chromium browser`, `node`). CPU is the last value
 * sampled per process (a process's final <100 ms can be missed), or, when the command ran under
 * `/usr/bin/time`, the exact figure of the waited-for tree.
 */
export function runSampled(cmd, args, { everyMs = 100, ...options } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const timeFile = join(tempDir('framesmith-time-'), 'time');
    const timed = existsSync('/usr/bin/time');
    const child = timed
      ? spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options })
      : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20000)));
    const peak = { rss: 0, pss: 0, processes: 0 };
    /** pid -> { kind, cpu } (last sample). */
    const seen = new Map();
    const sample = () => {
      const m = treeMemory(child.pid);
      peak.rss = Math.max(peak.rss, m.rss);
      peak.pss = Math.max(peak.pss, m.pss);
      peak.processes = Math.max(peak.processes, m.processes);
      for (const pid of m.pids) {
        const cpu = processCpu(pid);
        if (cpu === null) continue;
        // The kind is read again each time (a child's command line changes when it execs); a
        // zombie keeps the kind it had.
        const kind = processKind(pid) ?? seen.get(pid)?.kind ?? 'other';
        seen.set(pid, { kind, cpu });
      }
    };
    const timer = setInterval(sample, everyMs);
    child.on('close', (status) => {
      clearInterval(timer);
      const byKind = {};
      let sampled = 0;
      for (const { kind, cpu } of seen.values()) {
        if (kind === 'time') continue;
        byKind[kind] = (byKind[kind] ?? 0) + cpu;
        sampled += cpu;
      }
      let total = sampled;
      try {
        const [u, s] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        // time(1) misses children that outlived their parent; sampling misses each one's last moment.
        if (Number.isFinite(u + s)) total = Math.max(total, u + s);
      } catch {}
      resolve({ ms: performance.now() - t0, status, stdout, stderr, peak, cpu: { total, byKind } });
    });
  });
}

/** The corpus of official HyperFrames examples (FRAMESMITH_CORPUS or /work/shared/corpus/hyperframes-examples). */
export function corpusDir(root) {
  if (process.env.FRAMESMITH_CORPUS) return process.env.FRAMESMITH_CORPUS;
  return (
    [join(root, '..', 'shared', 'corpus', 'hyperframes-examples'), join(root, '..', '..', 'shared', 'corpus', 'hyperframes-examples')].find(
      existsSync,
    ) ?? null
  );
}

/** Every .html file under a folder (relative paths). */
function htmlFiles(dir, base = '') {
  const out = [];
  for (const e of readdirSync(join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...htmlFiles(dir, rel));
    else if (e.name.endsWith('.html')) out.push(rel);
  }
  return out;
}

/**
 * A corpus example copied into a temp folder and made self-contained, so both engines draw the
 * same thing offline. With `framesmith vendor` (when this build has it) the copy is vendored as a
 * user would; otherwise (for measuring until it lands): GSAP from the CDN becomes this repo's GSAP
 * (`vendor/gsap.min.js`), three.js's module comes from the npm registry (`npm pack`, cached),
 * Google Fonts links and imports are dropped (both engines then draw the same fallback faces)
 * and other remote images become `none`.
 */
export function corpusProject(root, name) {
  const corpus = corpusDir(root);
  if (!corpus) throw new Error('no corpus (set FRAMESMITH_CORPUS)');
  const dir = join(tempDir('framesmith-corpus-'), name);
  cpSync(join(corpus, name), dir, { recursive: true });
  const cli = join(root, 'bin', 'framesmith.js');
  const hasVendor = spawnSync(process.execPath, [cli, 'vendor', '--help'], { encoding: 'utf8' }).status === 0;
  if (hasVendor) {
    const r = spawnSync(process.execPath, [cli, 'vendor', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`framesmith vendor ${name} failed: ${r.stderr.slice(-1000)}`);
    return dir;
  }
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  cpSync(join(root, 'node_modules', 'gsap', 'dist', 'gsap.min.js'), join(dir, 'vendor', 'gsap.min.js'));
  for (const file of htmlFiles(dir)) {
    const path = join(dir, file);
    // Sub-composition files resolve their URLs from the project root (as both engines mount them); entries from their own folder.
    const up = file.startsWith('compositions/') ? '' : '../'.repeat(file.split('/').length - 1);
    let html = readFileSync(path, 'utf8');
    html = html
      .replace(/https:\/\/cdn\.jsdelivr\.net\/npm\/gsap@[^"']+\/gsap\.min\.js/g, `${up}vendor/gsap.min.js`)
      .replace(/<link\b[^>]*fonts\.(googleapis|gstatic)\.com[^>]*>/gs, '')
      .replace(/@import\s+url\(["']?https:\/\/fonts\.googleapis\.com[^)]*\)\s*;?/g, '')
      .replace(/url\(["']?https?:\/\/(?!cdn\.jsdelivr)[^)"']+["']?\)/g, 'none');
    const three = /https:\/\/cdn\.jsdelivr\.net\/npm\/three@([\d.]+)\/build\/three\.module\.js/.exec(html);
    if (three) {
      html = html.replace(three[0], `./${up}vendor/three.module.js`);
      cpSync(threeModule(three[1]), join(dir, 'vendor', 'three.module.js'));
    }
    writeFileSync(path, html);
  }
  return dir;
}

/** three.js's module build of one version, from the npm registry (cached in the user's cache folder). */
function threeModule(version) {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'framesmith-bench', `three-${version}`);
  const file = join(cache, 'package', 'build', 'three.module.js');
  if (existsSync(file)) return file;
  mkdirSync(cache, { recursive: true });
  const pack = spawnSync('npm', ['pack', `three@${version}`, '--silent'], { cwd: cache, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack three@${version} failed: ${pack.stderr}`);
  const r = spawnSync('tar', ['-xzf', pack.stdout.trim(), 'package/build/three.module.js', 'package/build/three.core.js'], {
    cwd: cache,
    encoding: 'utf8',
  });
  if (!existsSync(file)) throw new Error(`three@${version}: ${r.stderr}`);
  return file;
}
