// Issue 6 and 18 figures: `framesmith render` against the official HyperFrames engine, side by side
// in one run. Six parts (BENCH_PARTS, default all of them):
//
// - speed:  every bench composition (bench/compositions: title, chart, promo) and every corpus
//           example made self-contained, rendered by framesmith (defaults: --quality standard,
//           workers sized to the machine) and by the official CLI (its defaults: quality `looks`,
//           auto workers): wall time, CPU seconds of the whole process tree (user+sys, by kind of
//           process), peak memory (RSS and PSS sums), and encode quality (PSNR of each video against
//           its own engine's lossless frames at 12 sampled frame numbers: framesmith's PNG stills,
//           the official `--format png-sequence` render), for framesmith's standard and high.
// - tune:   the table behind the quality presets (src/render/presets.ts): per bench composition,
//           frames captured once per JPEG quality (90, 95, 100), each stream encoded by ffmpeg
//           alone with a grid of x264 presets and CRFs; PSNR against framesmith's lossless
//           stills, against the official default's PSNR against its own PNG frames; encode CPU.
// - floors: per composition, capture alone (frames written, no encoder), the same capture with
//           every frame drawn but no pixels taken (what the screenshot costs), the encoder alone on
//           those very frames, and the whole render against max(capture, encode).
// - growth: 10 s vs 60 s, 30 vs 60 fps, 1080p vs 4k, 1 vs 2 workers.
// - batch:  a 50-row batch of a 10 s template against separate renders (videos per hour).
// - limits: --workers 64 on this machine, and a composition that changes every frame at 4k 60 fps
//           for 60 s (peak memory).
//
// Knobs: BENCH_TUNE=chart-15s,promo-20s (compositions of the tune part), BENCH_TUNE_SECONDS=2 (tune
// on the first seconds only), BENCH_TUNE_GRID=q:preset:crf,... (its grid); BENCH_RENDER=title-10s,chart-15s,promo-20s,corpus (or corpus:motion-blur,...) picks the
// compositions; BENCH_OFFICIAL=0 skips the official engine; BENCH_QUALITY=0 skips the PSNR
// measurement; BENCH_BATCH_ROWS (50), BENCH_LIMIT_SECONDS (60) shorten the heavy parts.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchComposition, corpusDir, corpusProject, officialTool, runSampled, tempDir, videoFrames } from './lib.mjs';
import { framesmithStills, officialPngFrames, sampleFrames, videoPsnr } from './quality.mjs';

export const title = 'local render vs the official engine (issues 6 and 18)';

const BENCH = ['title-10s', 'chart-15s', 'promo-20s'];
const MB = 1024 * 1024;
const parts = new Set((process.env.BENCH_PARTS ?? 'speed,tune,floors,growth,batch,limits').split(','));
/** The official default's PSNR per composition, shared by the speed and tune parts of one run. */
const officialQuality = new Map();
/** framesmith's lossless stills per composition and frame list, shared by the speed and tune parts. */
const stillsCache = new Map();
function stillsOf(cli, name, dir, frames, fps) {
  const key = `${name}@${frames.join()}`;
  if (!stillsCache.has(key)) stillsCache.set(key, framesmithStills(cli, dir, frames, fps));
  return stillsCache.get(key);
}

const s1 = (ms) => `${(ms / 1000).toFixed(1)} s`;
const db = (v) => (v === undefined || v === null ? '—' : Number.isFinite(v) ? v.toFixed(2) : '∞');
const kinds = (cpu) =>
  Object.entries(cpu.byKind)
    .filter(([, v]) => v >= 0.5)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k.replace('chromium ', '')} ${v.toFixed(1)}`)
    .join(', ');

/** A table in Markdown, printed line by line. */
function table(log, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  log('');
  log(line(header));
  log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) log(line(r));
  log('');
}

/** The compositions to run: bench ones and corpus examples (as `corpus:<name>`). */
function pickCompositions(root) {
  const asked = (process.env.BENCH_RENDER ?? `${BENCH.join(',')},corpus`).split(',').filter(Boolean);
  const out = [];
  for (const a of asked) {
    if (a === 'corpus') {
      const dir = corpusDir(root);
      if (dir) for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(`corpus:${e.name}`);
    } else out.push(a);
  }
  return out;
}

async function prepare(root, name) {
  return name.startsWith('corpus:') ? corpusProject(root, name.slice(7)) : benchComposition(root, name);
}

/** A copy of a project folder (the official engine writes .hyperframes/ into what it reads). */
function copyOf(dir) {
  const copy = join(tempDir(), dir.split('/').pop());
  cpSync(dir, copy, { recursive: true });
  return copy;
}

async function framesmith(cli, dir, out, args = []) {
  const r = await runSampled(process.execPath, [cli, 'render', dir, '-o', out, '--json', ...args]);
  if (r.status !== 0) throw new Error(`framesmith render ${dir} ${args.join(' ')} failed: ${r.stderr.slice(-1500)}`);
  return { ...r, result: JSON.parse(r.stdout) };
}

async function official(tool, dir, out, args = []) {
  const r = await runSampled(tool, ['render', copyOf(dir), '-o', out, '--quiet', ...args]);
  if (r.status !== 0) throw new Error(`official render failed: ${r.stderr.slice(-1500)}`);
  return r;
}

async function speed(ctx, root, tool) {
  const { figure, log } = ctx;
  const cli = join(root, 'bin', 'framesmith.js');
  const rows = [];
  const qrows = [];
  for (const name of pickCompositions(root)) {
    let dir;
    try {
      dir = await prepare(root, name);
    } catch (error) {
      log(`${name}: skipped (${error.message.split('\n')[0]})`);
      continue;
    }
    log(`${name}: load average before ${loadavg()[0].toFixed(2)}`);
    const out = tempDir();
    const ours = await framesmith(cli, dir, join(out, 'standard.mp4'));
    const r = ours.result;
    log(
      `${name}: framesmith ${r.frames} frames, ${r.workers} workers (${r.captureMode}), ${r.captured} drawn, ${r.reused} reused, ${r.encoded} sent to ffmpeg; ${s1(ours.ms)}, CPU ${ours.cpu.total.toFixed(1)} s (${kinds(ours.cpu)}), cores used ${(ours.cpu.total / (ours.ms / 1000)).toFixed(2)}`,
    );
    figure('render', `${name} framesmith wall`, ours.ms / 1000, 's');
    figure('render', `${name} framesmith CPU (user+sys, whole tree)`, ours.cpu.total, 's');
    figure(
      'render',
      `${name} framesmith peak memory (RSS sum / PSS sum)`,
      `${(ours.peak.rss / MB).toFixed(0)} / ${(ours.peak.pss / MB).toFixed(0)}`,
      'MB',
    );
    let theirs = null;
    if (tool) {
      theirs = await official(tool, dir, join(out, 'official.mp4'));
      log(
        `${name}: official ${s1(theirs.ms)}, CPU ${theirs.cpu.total.toFixed(1)} s (${kinds(theirs.cpu)}), cores used ${(theirs.cpu.total / (theirs.ms / 1000)).toFixed(2)}`,
      );
      figure('render', `${name} official wall`, theirs.ms / 1000, 's');
      figure('render', `${name} official CPU (user+sys, whole tree)`, theirs.cpu.total, 's');
      figure(
        'render',
        `${name} official peak memory (RSS sum / PSS sum)`,
        `${(theirs.peak.rss / MB).toFixed(0)} / ${(theirs.peak.pss / MB).toFixed(0)}`,
        'MB',
      );
      figure('render', `${name} speed ratio (official wall / framesmith wall)`, theirs.ms / ours.ms, 'x', '>= 3x');
      figure('render', `${name} CPU ratio (official / framesmith)`, theirs.cpu.total / ours.cpu.total, 'x');
    }
    const mem = (p) => `${(p.rss / MB).toFixed(0)} (${(p.pss / MB).toFixed(0)})`;
    rows.push([
      name.replace('corpus:', ''),
      `${r.frames} (${r.captured}/${r.reused})`,
      `${s1(ours.ms)} · ${ours.cpu.total.toFixed(1)}`,
      theirs ? `${s1(theirs.ms)} · ${theirs.cpu.total.toFixed(1)}` : '—',
      theirs ? `**${(theirs.ms / ours.ms).toFixed(2)}x** (${(theirs.cpu.total / ours.cpu.total).toFixed(2)}x)` : '—',
      `${mem(ours.peak)} / ${theirs ? mem(theirs.peak) : '—'}`,
    ]);

    if (process.env.BENCH_QUALITY === '0') continue;
    const frames = sampleFrames(r.frames, 12);
    const stills = stillsOf(cli, name, dir, frames, r.fps);
    const high = await framesmith(cli, dir, join(out, 'high.mp4'), ['--quality', 'high']);
    const qStd = videoPsnr(r.output, stills);
    const qHigh = videoPsnr(high.result.output, stills);
    let qOff = null;
    if (tool) {
      const seq = join(out, 'official-png');
      await official(tool, dir, seq, ['--format', 'png-sequence']);
      const theirFrames = videoFrames(join(out, 'official.mp4'));
      if (theirFrames !== r.frames) log(`${name}: frame counts differ (framesmith ${r.frames}, official ${theirFrames})`);
      qOff = videoPsnr(join(out, 'official.mp4'), officialPngFrames(seq, frames));
      officialQuality.set(name, { frames, psnr: qOff });
    }
    figure(
      'render',
      `${name} PSNR standard vs own stills (pooled, ${frames.length} frames)`,
      qStd.pooled,
      'dB',
      qOff ? `>= ${(qOff.pooled - 0.5).toFixed(2)}` : '',
    );
    figure('render', `${name} PSNR high vs own stills (pooled)`, qHigh.pooled, 'dB', qOff ? `> ${qOff.pooled.toFixed(2)}` : '');
    if (qOff) figure('render', `${name} PSNR official default vs its png-sequence (pooled)`, qOff.pooled, 'dB');
    const size = (f) => `${(readFileSync(f).length / MB).toFixed(1)} MB`;
    qrows.push([
      name.replace('corpus:', ''),
      `${db(qStd.pooled)} (min ${db(qStd.min)}) · ${size(r.output)}`,
      `${db(qHigh.pooled)} (min ${db(qHigh.min)}) · ${size(high.result.output)} · ${s1(high.ms)}`,
      qOff ? `${db(qOff.pooled)} (min ${db(qOff.min)}) · ${size(join(out, 'official.mp4'))}` : '—',
      qOff ? (qStd.pooled >= qOff.pooled - 0.5 && qHigh.pooled > qOff.pooled ? 'yes' : '**no**') : '—',
    ]);
  }
  log('Speed, side by side (wall · CPU seconds of the whole process tree; ratio = official / framesmith):');
  table(
    log,
    [
      'composition',
      'frames (drawn/reused)',
      'framesmith wall · CPU s',
      'official wall · CPU s',
      'ratio wall (CPU)',
      'peak RSS (PSS) MB: framesmith / official',
    ],
    rows,
  );
  if (qrows.length) {
    log("Encode quality: PSNR of each video against its own engine's lossless frames (pooled over 12 frames, dB) · file size:");
    table(
      log,
      [
        'composition',
        'framesmith standard',
        'framesmith high (· wall)',
        'official default (looks)',
        'standard ≥ official − 0.5 and high > official',
      ],
      qrows,
    );
  }
}

/** The growth composition at a length (seconds), with GSAP and Inter vendored. */
async function growthProject(root, seconds) {
  const dir = await benchComposition(root, 'growth');
  const html = join(dir, 'index.html');
  writeFileSync(html, readFileSync(html, 'utf8').replace('data-duration="10"', `data-duration="${seconds}"`));
  return dir;
}

/** Capture alone: the render's frame stream written to `file` instead of ffmpeg (renderLocal's framesOnly). */
async function captureAlone(dist, dir, file, extra = {}) {
  const options = { dir, out: file, framesOnly: true, thumbnail: false, ...extra };
  const script = `import(${JSON.stringify(`${dist}/index.js`)}).then(async (m) => { const r = await m.renderLocal(${JSON.stringify(options)}); process.stdout.write(JSON.stringify(r)); })`;
  const capture = await runSampled(process.execPath, ['--input-type=module', '-e', script]);
  if (capture.status !== 0) throw new Error(`capture alone failed: ${capture.stderr.slice(-1500)}`);
  return { ...capture, result: JSON.parse(capture.stdout) };
}

/** The official default's PSNR against its own png-sequence render at `frames` (cached per run). */
async function officialDefaultQuality(tool, name, dir, frames) {
  const known = officialQuality.get(name);
  if (known && known.frames.join() === frames.join()) return known.psnr;
  const out = tempDir();
  await official(tool, dir, join(out, 'official.mp4'));
  const seq = join(out, 'official-png');
  await official(tool, dir, seq, ['--format', 'png-sequence']);
  const q = videoPsnr(join(out, 'official.mp4'), officialPngFrames(seq, frames));
  officialQuality.set(name, { frames, psnr: q });
  return q;
}

/**
 * JPEG quality of the frames x x264 preset x CRF. Default grid: q95 against q100 at veryfast CRF 14,
 * then presets and CRFs around the engine's (medium, CRF 16) on q100 frames. BENCH_TUNE_GRID="q:preset:crf,..." replaces it.
 */
function tuneGrid() {
  if (process.env.BENCH_TUNE_GRID)
    return process.env.BENCH_TUNE_GRID.split(',').map((t) => {
      const [q, preset, crf] = t.split(':');
      return { q: Number(q), preset, crf: Number(crf) };
    });
  const grid = [{ q: 95, preset: 'veryfast', crf: 14 }];
  for (const [preset, crf] of [
    ['superfast', 14],
    ['veryfast', 14],
    ['veryfast', 16],
    ['faster', 12],
    ['medium', 16],
    ['medium', 18],
  ])
    grid.push({ q: 100, preset, crf });
  return grid;
}

async function tune(ctx, root, tool) {
  const { figure, log } = ctx;
  const dist = pathToFileURL(join(root, 'dist', 'node')).href;
  const { encodeArgs } = await import(`${dist}/render/encode-args.js`);
  const { QUALITY_PRESETS } = await import(`${dist}/render/presets.js`);
  const cli = join(root, 'bin', 'framesmith.js');
  const grid = tuneGrid();
  const names = (process.env.BENCH_TUNE ?? 'chart-15s,promo-20s').split(',').filter(Boolean);
  // BENCH_TUNE_SECONDS: only the first seconds of each composition (a copy whose root
  // data-duration is cut, so the official engine renders the same clip), for a quicker table.
  const clip = Number(process.env.BENCH_TUNE_SECONDS ?? 0);
  for (const name of names) {
    const dir = await prepare(root, name);
    if (clip > 0) {
      const html = join(dir, 'index.html');
      writeFileSync(html, readFileSync(html, 'utf8').replace(/(id="root"[^>]*data-duration=")[\d.]+"/, `$1${clip}"`));
    }
    const key = clip > 0 ? `${name}@${clip}s` : name;
    const out = tempDir();
    const streams = new Map();
    for (const q of [...new Set(grid.map((g) => g.q))]) {
      const c = await captureAlone(dist, dir, join(out, `frames-q${q}.mp4`), { jpegQuality: q });
      streams.set(q, c);
      log(
        `${name}: frames at JPEG q${q}: capture ${s1(c.ms)}, CPU ${c.cpu.total.toFixed(1)} s (${kinds(c.cpu)}), stream ${(readFileSync(join(out, `frames-q${q}.mp4`)).length / MB).toFixed(0)} MB`,
      );
    }
    const r = streams.values().next().value.result;
    const frames = sampleFrames(r.frames, clip > 0 ? 8 : 12);
    const stills = stillsOf(cli, key, dir, frames, r.fps);
    const off = tool ? await officialDefaultQuality(tool, key, dir, frames) : null;
    if (off) log(`${name}: official default (looks) ${db(off.pooled)} dB (min ${db(off.min)}) against its png-sequence`);
    const rows = [];
    for (const g of grid) {
      const video = join(out, `q${g.q}-${g.preset}-${g.crf}.mp4`);
      const args = encodeArgs({
        format: 'mp4',
        quality: 'standard',
        fps: r.fps,
        frames: r.frames,
        width: r.width,
        height: r.height,
        output: video,
        image: 'jpeg',
        tuning: {
          x264Preset: g.preset,
          crf: g.crf,
          x264Params: g.preset === 'ultrafast' ? QUALITY_PRESETS.draft.x264Params : QUALITY_PRESETS.standard.x264Params,
        },
      }).map((a) => (a === 'pipe:0' ? join(out, `frames-q${g.q}.mp4`) : a));
      const e = await runSampled('ffmpeg', args);
      if (e.status !== 0) throw new Error(`encode ${g.preset} ${g.crf} failed: ${e.stderr.slice(-800)}`);
      const q = videoPsnr(video, stills);
      const mark = Object.entries(QUALITY_PRESETS)
        .filter(([, p]) => p.jpegQuality === g.q && p.x264Preset === g.preset && p.crf === g.crf)
        .map(([k]) => k)
        .join(', ');
      figure(
        'tune',
        `${key} q${g.q} ${g.preset} CRF ${g.crf}: PSNR (pooled)`,
        q.pooled,
        'dB',
        off ? `official ${off.pooled.toFixed(2)}` : '',
      );
      rows.push([
        `q${g.q}`,
        g.preset,
        g.crf,
        `${db(q.pooled)} (min ${db(q.min)})`,
        off ? (q.pooled - off.pooled).toFixed(2) : '—',
        e.cpu.total.toFixed(1),
        (readFileSync(video).length / MB).toFixed(1),
        mark,
      ]);
    }
    log(
      `${key} (${r.frames} frames, ${r.captured} drawn): encode quality by frame JPEG quality, x264 preset and CRF; PSNR pooled over ${frames.length} frames against framesmith's lossless stills; Δ = against the official default (looks) against its own PNGs; encoder CPU alone:`,
    );
    table(log, ['frames', 'x264 preset', 'CRF', 'PSNR dB (min)', 'Δ official dB', 'encode CPU s', 'MB', 'preset'], rows);
  }
}

async function floors(ctx, root) {
  const { figure, log } = ctx;
  const dist = pathToFileURL(join(root, 'dist', 'node')).href;
  const { encodeArgs } = await import(`${dist}/render/encode-args.js`);
  const { encoderThreads } = await import(`${dist}/render/workers.js`);
  const rows = [];
  for (const name of pickCompositions(root)) {
    let dir;
    try {
      dir = await prepare(root, name);
    } catch (error) {
      log(`${name}: skipped (${error.message.split('\n')[0]})`);
      continue;
    }
    const out = tempDir();
    // Capture alone: the same render, its frame stream written to a file instead of ffmpeg.
    const script = `import(${JSON.stringify(`${dist}/index.js`)}).then(async (m) => { const r = await m.renderLocal({ dir: ${JSON.stringify(dir)}, out: ${JSON.stringify(join(out, 'frames.mp4'))}, framesOnly: true, thumbnail: false }); process.stdout.write(JSON.stringify(r)); })`;
    const capture = await runSampled(process.execPath, ['--input-type=module', '-e', script]);
    if (capture.status !== 0) throw new Error(`capture alone failed: ${capture.stderr.slice(-1500)}`);
    const r = JSON.parse(capture.stdout);
    // The same capture with every frame drawn but no pixels taken (no screenshot): what the
    // screenshot itself costs, and the floor a free pixel path would leave.
    const bare = await runSampled(process.execPath, [
      '--input-type=module',
      '-e',
      script.replace('framesOnly: true,', 'framesOnly: true, drawWithoutPixels: true,').replace('frames.mp4', 'bare.mp4'),
    ]);
    if (bare.status !== 0) throw new Error(`capture without pixels failed: ${bare.stderr.slice(-1500)}`);
    const shotMs = ((capture.cpu.total - bare.cpu.total) / Math.max(1, r.captured)) * 1000;
    // The encoder alone, on exactly those frames, with the render's own arguments.
    const args = encodeArgs({
      format: 'mp4',
      quality: 'standard',
      fps: r.fps,
      frames: r.frames,
      width: r.width,
      height: r.height,
      output: join(out, 'encoded.mp4'),
      image: 'jpeg',
      threads: encoderThreads(),
    }).map((a) => (a === 'pipe:0' ? join(out, 'frames.mp4') : a));
    const encode = await runSampled('ffmpeg', args);
    if (encode.status !== 0) throw new Error(`encode alone failed: ${encode.stderr.slice(-1500)}`);
    const whole = await framesmith(join(root, 'bin', 'framesmith.js'), dir, join(out, 'whole.mp4'));
    // The fixed cost: a render of one frame (browsers, page load, ffmpeg start and finish).
    const one = await framesmith(join(root, 'bin', 'framesmith.js'), dir, join(out, 'one.mp4'), ['--frames', '0-0']);
    const perFrame = (whole.cpu.total - one.cpu.total) / Math.max(1, r.frames - 1);
    const bound = Math.max(capture.ms, encode.ms);
    const cores = availableParallelism();
    const cpuBound = ((capture.cpu.total + encode.cpu.total) / cores) * 1000;
    figure('floors', `${name} capture alone`, capture.ms / 1000, 's');
    figure('floors', `${name} encode alone`, encode.ms / 1000, 's');
    figure('floors', `${name} whole render / max(capture, encode)`, whole.ms / bound, 'x', '1.0 = perfect overlap');
    figure('floors', `${name} startup (render of 1 frame)`, one.ms / 1000, 's');
    figure('floors', `${name} CPU per frame beyond startup`, perFrame * 1000, 'ms');
    figure('floors', `${name} screenshot CPU per drawn frame`, shotMs, 'ms');
    log(
      `${name}: capture alone CPU by process: ${kinds(capture.cpu)}; without pixels: ${kinds(bare.cpu)}; encode alone: ${kinds(encode.cpu)}`,
    );
    rows.push([
      name.replace('corpus:', ''),
      `${s1(capture.ms)} · ${capture.cpu.total.toFixed(1)}`,
      `${s1(encode.ms)} · ${encode.cpu.total.toFixed(1)}`,
      s1(bound),
      s1(Math.max(bound, cpuBound)),
      `${s1(bare.ms)} · ${bare.cpu.total.toFixed(1)}`,
      shotMs.toFixed(0),
      s1(((bare.cpu.total + encode.cpu.total) / cores) * 1000),
      `${s1(whole.ms)} · ${whole.cpu.total.toFixed(1)}`,
      `${(whole.ms / bound).toFixed(2)}x`,
      `${s1(one.ms)} · ${one.cpu.total.toFixed(1)}`,
      (perFrame * 1000).toFixed(0),
    ]);
  }
  log(
    `Floors on this machine (${availableParallelism()} cores, load average now ${loadavg()[0].toFixed(2)}; wall · CPU s). With both on the same cores the whole render cannot beat (capture CPU + encode CPU) / cores either:`,
  );
  table(
    log,
    [
      'composition',
      'capture alone',
      'encode alone',
      'max(capture, encode)',
      'max(that, CPU / cores)',
      'capture, no pixels taken',
      'screenshot CPU ms / drawn frame',
      'without screenshots: CPU / cores',
      'whole render',
      'whole / max',
      'startup: 1-frame render',
      'CPU ms / frame beyond startup',
    ],
    rows,
  );
}

async function growth(ctx, root) {
  const { figure, log } = ctx;
  const cli = join(root, 'bin', 'framesmith.js');
  const ten = await growthProject(root, 10);
  const sixty = await growthProject(root, 60);
  const runs = [
    ['1 frame (startup), 1080p', ten, ['--frames', '0-0']],
    ['10 s, 30 fps, 1080p, default workers', ten, []],
    ['60 s, 30 fps, 1080p, default workers', sixty, []],
    ['10 s, 60 fps', ten, ['--fps', '60']],
    ['10 s, 4k', ten, ['--resolution', '4k']],
    ['10 s, 1 worker', ten, ['--workers', '1']],
    ['10 s, 2 workers', ten, ['--workers', '2']],
  ];
  const got = {};
  const rows = [];
  for (const [label, dir, args] of runs) {
    const r = await framesmith(cli, dir, join(tempDir(), 'g.mp4'), args);
    got[label] = r;
    const px = r.result.width * r.result.height * r.result.frames;
    rows.push([
      label,
      r.result.frames,
      r.result.workers,
      s1(r.ms),
      r.cpu.total.toFixed(1),
      ((r.cpu.total * 1000) / r.result.frames).toFixed(1),
      ((r.cpu.total * 1e9) / px).toFixed(2),
      `${(r.peak.rss / MB).toFixed(0)} (${(r.peak.pss / MB).toFixed(0)})`,
    ]);
  }
  const base = got['10 s, 30 fps, 1080p, default workers'];
  const ratio = (label, expected) => {
    const r = got[label];
    const wall = r.ms / base.ms;
    const cpu = r.cpu.total / base.cpu.total;
    figure('growth', `${label}: wall / 10 s 30 fps 1080p`, wall, 'x', `${expected}x if linear`);
    return [label, `${expected}x`, `${wall.toFixed(2)}x`, `${cpu.toFixed(2)}x`];
  };
  // Beyond the fixed start-up: the cost of the frames alone, 60 s against 10 s.
  const one = got['1 frame (startup), 1080p'];
  const l60 = got['60 s, 30 fps, 1080p, default workers'];
  const perFrame = (r) => (r.cpu.total - one.cpu.total) / (r.result.frames - 1);
  figure('growth', 'CPU per frame beyond start-up: 60 s / 10 s', perFrame(l60) / perFrame(base), 'x', '1.0 if linear');
  figure(
    'growth',
    'wall per frame beyond start-up: 60 s / 10 s',
    (l60.ms - one.ms) / (l60.result.frames - 1) / ((base.ms - one.ms) / (base.result.frames - 1)),
    'x',
    '1.0 if linear',
  );
  log(`Growth of one render (the growth composition: something moves on every frame; load average now ${loadavg()[0].toFixed(2)}):`);
  table(log, ['render', 'frames', 'workers', 'wall', 'CPU s', 'CPU ms / frame', 'CPU ns / pixel', 'peak RSS (PSS) MB'], rows);
  const w1 = got['10 s, 1 worker'];
  const w2 = got['10 s, 2 workers'];
  table(
    log,
    ['against 10 s, 30 fps, 1080p', 'linear would be', 'wall', 'CPU'],
    [
      ratio('60 s, 30 fps, 1080p, default workers', 6),
      ratio('10 s, 60 fps', 2),
      ratio('10 s, 4k', 4),
      ['2 workers against 1', '≤ 1x', `${(w2.ms / w1.ms).toFixed(2)}x`, `${(w2.cpu.total / w1.cpu.total).toFixed(2)}x`],
    ],
  );
}

/** A batch of the 10 s growth template (BENCH_BATCH_ROWS rows, default 50): one session, rows overlapping, against separate renders. */
async function batch(ctx, root) {
  const { figure, log } = ctx;
  const cli = join(root, 'bin', 'framesmith.js');
  const ten = await growthProject(root, 10);
  const n = Number(process.env.BENCH_BATCH_ROWS ?? 50);
  const work = tempDir();
  const rowsFile = join(work, 'rows.json');
  writeFileSync(rowsFile, JSON.stringify(Array.from({ length: n }, (_, i) => ({ headline: `Report ${i + 1}`, value: 1000 + i * 137 }))));
  const batch = await runSampled(process.execPath, [
    cli,
    'render',
    ten,
    '--batch',
    rowsFile,
    '--out-pattern',
    join(work, 'out', '{index}.mp4'),
    '--json',
  ]);
  if (batch.status !== 0) throw new Error(`batch failed: ${batch.stderr.slice(-1500)}`);
  const separate = [];
  for (let i = 0; i < 3; i++) {
    separate.push(
      await framesmith(cli, ten, join(work, `separate-${i}.mp4`), [
        '--variables',
        JSON.stringify({ headline: `Report ${i + 1}`, value: 1000 + i * 137 }),
      ]),
    );
  }
  const sepWall = separate.reduce((a, r) => a + r.ms, 0) / separate.length;
  const sepCpu = separate.reduce((a, r) => a + r.cpu.total, 0) / separate.length;
  const perVideo = batch.ms / n;
  figure('batch', `batch of ${n}: wall per video`, perVideo / 1000, 's', `< ${(sepWall / 1000).toFixed(1)} s (separate)`);
  figure('batch', `batch of ${n}: videos per hour`, 3600_000 / perVideo, '');
  table(
    log,
    ['10 s template', 'wall per video', 'CPU s per video', 'videos per hour', 'peak RSS (PSS) MB'],
    [
      [
        `batch of ${n} rows`,
        s1(perVideo),
        (batch.cpu.total / n).toFixed(1),
        (3600_000 / perVideo).toFixed(0),
        `${(batch.peak.rss / MB).toFixed(0)} (${(batch.peak.pss / MB).toFixed(0)})`,
      ],
      [
        'separate renders (mean of 3)',
        s1(sepWall),
        sepCpu.toFixed(1),
        (3600_000 / sepWall).toFixed(0),
        `${(separate[0].peak.rss / MB).toFixed(0)} (${(separate[0].peak.pss / MB).toFixed(0)})`,
      ],
    ],
  );
}

async function limits(ctx, root) {
  const { figure, log } = ctx;
  const cli = join(root, 'bin', 'framesmith.js');
  const ten = await growthProject(root, 10);
  const r = spawnSync(
    process.execPath,
    [cli, 'render', ten, '-o', join(tempDir(), 'w.mp4'), '--workers', '64', '--frames', '0-59', '--json'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`--workers 64 failed: ${r.stderr.slice(-1500)}`);
  const j = JSON.parse(r.stdout);
  const note = j.warnings.find((w) => w.code === 'workers_capped');
  log(`--workers 64 on ${availableParallelism()} cores: rendered with ${j.workers}; warning: ${note ? note.message : 'none (bug)'}`);
  figure('limits', '--workers 64: workers used', j.workers, '');
  const seconds = Number(process.env.BENCH_LIMIT_SECONDS ?? 60);
  const long = await growthProject(root, seconds);
  log(`4k, 60 fps, ${seconds} s, every frame changes (${seconds * 60} frames of 3840x2160): this takes a while`);
  const big = await framesmith(cli, long, join(tempDir(), 'big.mp4'), ['--resolution', '4k', '--fps', '60']);
  figure(
    'limits',
    `4k 60 fps ${seconds} s: peak memory RSS sum`,
    big.peak.rss / MB,
    'MB',
    `bounded (machine has ${(totalmem() / 2 ** 30).toFixed(0)} GB)`,
  );
  figure('limits', `4k 60 fps ${seconds} s: peak memory PSS sum`, big.peak.pss / MB, 'MB');
  figure('limits', `4k 60 fps ${seconds} s: wall`, big.ms / 1000, 's');
  figure('limits', `4k 60 fps ${seconds} s: CPU`, big.cpu.total, 's');
}

export async function run(ctx) {
  const { root, log } = ctx;
  const tool = process.env.BENCH_OFFICIAL === '0' ? null : officialTool(root);
  if (!tool) log('official CLI not available (or BENCH_OFFICIAL=0): framesmith figures only');
  if (parts.has('speed')) await speed(ctx, root, tool);
  if (parts.has('tune')) await tune(ctx, root, tool);
  if (parts.has('floors')) await floors(ctx, root);
  if (parts.has('growth')) await growth(ctx, root);
  if (parts.has('batch')) await batch(ctx, root);
  if (parts.has('limits')) await limits(ctx, root);
}
