// The corpus check, in one place for the corpus tests (test/e2e/corpus.test.ts) and the `corpus`
// bench section (bench/07-corpus.bench.mjs): for one official HyperFrames example, framesmith's
// lint, dev preview, snapshot and render on the original (remote files through the content cache,
// npm CDN files from the npm registry), `framesmith vendor`, a render of the vendored copy with an
// empty cache and no network (its requests counted), and the official engine's lint and render of
// the vendored copy. The two videos (same fps, same H.264 quality) are decoded and compared frame by
// frame (PSNR over RGB): the renders themselves, frames sampled across the whole clip. Then what
// the author sees against the same engine frames (seenCheck): `framesmith snapshot --at` stills and
// the `framesmith dev` preview at a few sampled frames.
//
// The frame comparison is deliberately small (a low fps, every frame of both videos) so it can
// switch to the parity harness (`npm run parity`, bench/parity/) once that is on main. Needs the
// build (dist/), Chromium, ffmpeg, the official engine and the npm registry.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { engineVideoRender, throughVideoFormat } from '../parity/engine-cache.mjs';
import { FONTS_AS_OFFLINE_ENGINE } from '../parity/framesmith.mjs';
import { corpusFps } from '../parity/run.mjs';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');

/** Minimum PSNR (dB) the issue asks for between framesmith and the engine on the vendored copies. */
export const MIN_PSNR = 35;

/** $FRAMESMITH_CORPUS, else `shared/corpus/hyperframes-examples` in the nearest folder above `root` that has one. */
export function findCorpus(root, env = process.env) {
  if (env.FRAMESMITH_CORPUS) return existsSync(env.FRAMESMITH_CORPUS) ? resolve(env.FRAMESMITH_CORPUS) : null;
  for (let dir = resolve(root, '..'); ; dir = dirname(dir)) {
    const c = join(dir, 'shared', 'corpus', 'hyperframes-examples');
    if (existsSync(join(c, 'README.md'))) return c;
    if (dirname(dir) === dir) return null;
  }
}

/** $FRAMESMITH_OFFICIAL_ENGINE, else `shared/tools/hyperframes-official` in the nearest folder above `root`. */
export function findOfficialEngine(root, env = process.env) {
  if (env.FRAMESMITH_OFFICIAL_ENGINE) return existsSync(env.FRAMESMITH_OFFICIAL_ENGINE) ? resolve(env.FRAMESMITH_OFFICIAL_ENGINE) : null;
  for (let dir = resolve(root, '..'); ; dir = dirname(dir)) {
    const t = join(dir, 'shared', 'tools', 'hyperframes-official');
    if (existsSync(t)) return t;
    if (dirname(dir) === dir) return null;
  }
}

/** The examples of the corpus, by name. */
export function listExamples(corpus) {
  return readdirSync(corpus)
    .filter((n) => statSync(join(corpus, n)).isDirectory() && existsSync(join(corpus, n, 'index.html')))
    .sort();
}

/** The npm registry this machine's npm uses (the corpus tests use the real one, as CI can). */
export function npmRegistry() {
  try {
    return execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim() || 'https://registry.npmjs.org/';
  } catch {
    return 'https://registry.npmjs.org/';
  }
}

/** Frames per second for the comparison: about 12 frames over the clip, at least 3 fps (see corpusFps). */
export function sampleFps(duration) {
  // The parity tests use the same rule, so both share one engine render per example.
  return corpusFps(duration);
}

/** Runs a command with a deadline; resolves with its status, output and wall time. */
export function run(cmd, args, { env = {}, timeoutMs = 10 * 60_000, cwd } = {}) {
  return new Promise((resolvePromise) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** PNG → RGB over white (where the page paints nothing a video shows white). */
function rgbOverWhite(file) {
  const png = PNG.sync.read(readFileSync(file));
  const n = png.width * png.height;
  const out = Buffer.alloc(n * 3);
  for (let i = 0, j = 0; i < n * 4; i += 4, j += 3) {
    const a = png.data[i + 3];
    for (let k = 0; k < 3; k++) out[j + k] = a === 255 ? png.data[i + k] : Math.round((png.data[i + k] * a + 255 * (255 - a)) / 255);
  }
  return { width: png.width, height: png.height, rgb: out };
}

/** PSNR in dB of two PNG files (Infinity when equal; 0 for different sizes). */
export function psnrFiles(a, b) {
  const x = rgbOverWhite(a);
  const y = rgbOverWhite(b);
  if (x.width !== y.width || x.height !== y.height) return 0;
  let sum = 0;
  for (let i = 0; i < x.rgb.length; i++) {
    const d = x.rgb[i] - y.rgb[i];
    sum += d * d;
  }
  const mse = sum / x.rgb.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

/** A writable copy of an example (the corpus is read-only). */
export function copyExample(corpus, name, dest) {
  cpSync(join(corpus, name), dest, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', dest]);
  return dest;
}

const errorsOf = (json) => (json.findings ?? json.diagnostics ?? []).filter((d) => d.severity === 'error');

/**
 * Checks one example end to end. `log` receives progress lines. Every step is recorded; a step
 * that fails records its error instead of stopping the rest.
 * @param {{ root: string, corpus: string, engine: string, name: string, work?: string, log?: (s: string) => void, dev?: boolean }} o
 */
export async function checkExample(o) {
  const { root, corpus, engine, name } = o;
  const log = o.log ?? (() => {});
  const cli = join(root, 'bin', 'framesmith.js');
  const work = o.work ?? mkdtempSync(join(tmpdir(), `fs-corpus-${name}-`));
  const registry = npmRegistry();
  const cache = join(work, 'cache');
  const online = { FRAMESMITH_CACHE_DIR: cache, FRAMESMITH_NPM_REGISTRY: registry };
  const r = { name, work };
  const original = copyExample(corpus, name, join(work, 'original'));
  const fs = (args, env) => run(process.execPath, [cli, ...args], { env });
  const json = (res) => {
    try {
      return JSON.parse(res.stdout);
    } catch {
      return null;
    }
  };

  // Lint: framesmith and the engine on copies of the original.
  const lint = json(await fs(['lint', original, '--json'], online));
  const offLint = await run(engine, ['lint', copyExample(corpus, name, join(work, 'official-lint'))]);
  const officialErrors = Number(/(\d+) error\(s\)/.exec(offLint.stdout + offLint.stderr)?.[1] ?? NaN);
  r.lint = { errors: errorsOf(lint ?? {}).map((d) => d.code), warnings: lint?.warningCount ?? 0, officialErrors };
  log(`${name}: lint ${r.lint.errors.length} errors (official ${officialErrors})`);

  // Render the original (fills the cache: CDN files from the npm registry), then snapshot it offline.
  const meta = json(await fs(['snapshot', original, '--at', '0', '--out', join(work, 'probe'), '--json'], online));
  const duration = meta?.duration ?? null;
  const fps = sampleFps(duration ?? 10);
  r.duration = duration;
  r.fps = fps;
  const render = await fs(['render', original, '--fps', String(fps), '--no-thumbnail', '-o', join(work, 'original.mp4'), '--json'], online);
  const rj = json(render);
  r.render = {
    ok: render.status === 0,
    exit: render.status,
    ms: Math.round(render.ms),
    warnings: (rj?.warnings ?? []).map((w) => w.code),
    loaded: (rj?.remote?.loaded ?? []).map((l) => `${l.via}:${l.url}`),
    error: render.status === 0 ? null : lastError(render.stderr),
  };
  log(`${name}: render original ${r.render.ok ? 'ok' : `failed (${r.render.error})`} in ${(render.ms / 1000).toFixed(1)} s`);
  const snap = await fs(
    ['snapshot', original, '--at', String(Math.min(1, duration ?? 0)), '--out', join(work, 'offline-stills'), '--json'],
    { ...online, FRAMESMITH_OFFLINE: '1' },
  );
  const sj = json(snap);
  r.snapshot = {
    ok: snap.status === 0,
    exit: snap.status,
    warnings: (sj?.warnings ?? []).map((w) => w.code),
    error: snap.status === 0 ? null : lastError(snap.stderr),
  };

  // Vendor a copy, then render it with an empty cache and no network, counting its requests.
  const vendored = copyExample(corpus, name, join(work, 'vendored'));
  const vend = await fs(['vendor', vendored, '--json'], online);
  const vj = json(vend);
  r.vendor = {
    exit: vend.status,
    written: vj?.written?.length ?? 0,
    unresolved: (vj?.unresolved ?? []).map((u) => `${u.url} (${u.code})`),
  };
  log(
    `${name}: vendor exit ${vend.status}, ${r.vendor.written} files${r.vendor.unresolved.length ? `, unresolved: ${r.vendor.unresolved.join(', ')}` : ''}`,
  );
  // Fonts as the offline engine CLI draws them (FONTS_AS_OFFLINE_ENGINE): this render is compared with it.
  const offline = {
    FRAMESMITH_CACHE_DIR: join(work, 'empty-cache'),
    FRAMESMITH_NPM_REGISTRY: registry,
    FRAMESMITH_OFFLINE: '1',
    ...FONTS_AS_OFFLINE_ENGINE,
  };
  const vr = await fs(
    ['render', vendored, '--fps', String(fps), '--quality', 'high', '--no-thumbnail', '-o', join(work, 'vendored.mp4'), '--json'],
    offline,
  );
  const vrj = json(vr);
  r.vendoredRender = {
    ok: vr.status === 0,
    exit: vr.status,
    ms: Math.round(vr.ms),
    requests: vrj?.remote?.requests ?? null,
    failed: (vrj?.remote?.failed ?? []).map((f) => f.url),
    error: vr.status === 0 ? null : lastError(vr.stderr),
  };
  log(
    `${name}: render vendored ${r.vendoredRender.ok ? 'ok' : 'failed'}, ${r.vendoredRender.requests} network requests, ${(vr.ms / 1000).toFixed(1)} s`,
  );

  // The engine renders a copy of the vendored project, at the same fps and quality: once per test
  // run, shared with the parity tests ($FRAMESMITH_ENGINE_RENDERS, see bench/parity/engine-cache.mjs).
  const official = await engineVideoRender(engine, {
    name,
    fps,
    prepare: (dest) => cpSync(vendored, dest, { recursive: true }),
    workDir: join(work, 'official'),
    timeoutMs: 20 * 60_000,
  });
  const engineFrames = official.frames;
  r.official = {
    ok: official.ok,
    ms: Math.round(official.ms),
    shared: official.shared,
    frames: engineFrames.length,
    error: official.ok ? null : lastError(official.log),
  };
  log(
    `${name}: official render ${r.official.ok ? `${engineFrames.length} frames` : `failed (${r.official.error})`} in ${(official.ms / 1000).toFixed(1)} s${official.shared ? ' (shared: rendered once for this test run)' : ''}`,
  );
  r.psnr = null;
  if (r.official.ok && r.vendoredRender.ok) {
    const ours = await decodeFrames(join(work, 'vendored.mp4'), join(work, 'framesmith-frames'));
    const n = Math.min(ours.length, engineFrames.length);
    const values = Array.from({ length: n }, (_, i) => ({ time: i / fps, db: psnrFiles(ours[i], engineFrames[i]) }));
    const dbs = values.map((v) => v.db);
    const worst = values.reduce((w, v) => (v.db < w.db ? v : w), values[0]);
    r.psnr = {
      frames: n,
      framesmithFrames: ours.length,
      min: Math.min(...dbs),
      median: median(dbs),
      worst: worst ? { time: worst.time, db: worst.db } : null,
      under: values.filter((v) => v.db < MIN_PSNR).map((v) => `${v.time.toFixed(2)} s: ${v.db.toFixed(1)} dB`),
    };
    log(`${name}: PSNR min ${r.psnr.min.toFixed(1)} dB, median ${r.psnr.median.toFixed(1)} dB over ${n} frames`);
  }
  // What the author sees (snapshot stills, the dev preview) against the same engine frames.
  r.seen = null;
  if (r.official.ok && o.seen !== false) {
    r.seen = await seenCheck({ root, dir: vendored, env: offline, official, fps, work: join(work, 'seen') });
    const f = (s) => (s.error ? `failed (${s.error})` : `min ${s.min.toFixed(1)} dB`);
    log(
      `${name}: seen at ${r.seen.times.map((t) => `${t.toFixed(2)} s`).join(', ')}: snapshot ${f(r.seen.snapshot)}, preview ${f(r.seen.preview)} (${(r.seen.ms / 1000).toFixed(1)} s)`,
    );
  }
  if (o.dev !== false) r.dev = await devCheck(root, original, online);
  return r;
}

/** How many of the engine's frames the seen check compares spread evenly (first and last included), and how many where the picture changes most. */
export const SEEN_SPREAD = 4;
export const SEEN_CHANGES = 2;

/**
 * The engine frames the seen check compares, as indexes into the video's frames (ascending):
 * SEEN_SPREAD spread evenly over the clip (first and last included), and the SEEN_CHANGES frames
 * that differ most from the one before (ffmpeg's scene score on the engine's video: mid-transition
 * frames and the first frames of new scenes, where a wrong-scene or mistimed seek shows most).
 */
export function seenFrames(video, count) {
  if (count <= 0) return [];
  const picked = new Set(Array.from({ length: SEEN_SPREAD }, (_, k) => Math.round((k * (count - 1)) / Math.max(1, SEEN_SPREAD - 1))));
  const scores = sceneScores(video);
  const changes = [...scores.entries()]
    .filter(([i, v]) => i > 0 && i < count && v > 0 && !picked.has(i))
    .sort((a, b) => b[1] - a[1])
    .slice(0, SEEN_CHANGES);
  for (const [i] of changes) picked.add(i);
  return [...picked].sort((a, b) => a - b);
}

/** ffmpeg's scene-change score of every frame of a video (0–1, frame 0 has none): Map index → score. */
function sceneScores(video) {
  const out = new Map();
  let text;
  try {
    text = execFileSync(
      'ffmpeg',
      ['-v', 'error', '-i', video, '-vf', "scale=320:-2,select='gte(scene,0)',metadata=print:file=-", '-an', '-f', 'null', '-'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
    );
  } catch {
    return out;
  }
  let frame = -1;
  for (const line of text.split('\n')) {
    const f = /^frame:(\d+)/.exec(line);
    if (f) frame = Number(f[1]);
    const v = /lavfi\.scene_score=([\d.]+)/.exec(line);
    if (v && frame >= 0) out.set(frame, Number(v[1]));
  }
  return out;
}

/** A PNG file composited over white (where a page paints nothing, a video shows white), written to `dest`. */
function flattenOverWhite(file, dest) {
  const png = PNG.sync.read(readFileSync(file));
  const d = png.data;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3];
    if (a === 255) continue;
    for (let k = 0; k < 3; k++) d[i + k] = Math.round((d[i + k] * a + 255 * (255 - a)) / 255);
    d[i + 3] = 255;
  }
  writeFileSync(dest, PNG.sync.write(png));
  return dest;
}

/**
 * What the author sees against what the engine renders, on the vendored copy, at a few of the
 * engine's frames (seenFrames): (a) `framesmith snapshot --at` stills, (b) the `framesmith dev`
 * preview as a user has it: the real dev server (a child process, as `framesmith dev` runs), its
 * page in Chromium at 100 % zoom, seeked to the frame through the preview (the seek a scrub
 * makes), the composition's area of the screen captured. Both pass through the engine video's
 * pixel format (throughVideoFormat, 4:2:0) before the PSNR against the engine's decoded frames,
 * as the render comparison's H.264 does, so chroma subsampling is not counted as a difference.
 * `env`: the vendored render's (offline, fonts as the offline engine draws them).
 */
export async function seenCheck({ root, dir, env, official, fps, work }) {
  const cli = join(root, 'bin', 'framesmith.js');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const started = performance.now();
  // The copy both see declares the comparison's frame rate (data-fps), as the engine was told
  // (--fps): pages whose picture depends on the frame interval (velocity blur from the previous
  // frame, entrance tweens on GSAP's own ticker, per-frame rAF motion) then get the same frames.
  const project = join(work, 'project');
  cpSync(dir, project, { recursive: true });
  await declareFps(root, join(project, 'index.html'), fps);
  const indexes = seenFrames(official.video, official.frames.length);
  const times = indexes.map((i) => i / fps);
  const out = { frames: indexes, times };

  // (a) Snapshot stills, one run for all times (the CLI prints them in the order asked).
  const snap = await run(
    process.execPath,
    [cli, 'snapshot', project, '--at', times.map(String).join(','), '--out', join(work, 'stills'), '--json'],
    {
      env,
    },
  );
  let stills = null;
  try {
    stills = JSON.parse(snap.stdout).stills.map((s) => flattenOverWhite(s.file, `${s.file}.white.png`));
  } catch {
    out.snapshot = { error: snap.status === 0 ? 'no stills in its JSON' : lastError(snap.stderr) || `exit ${snap.status}` };
  }
  if (stills) out.snapshot = compareSeen(stills, indexes, official, join(work, 'stills-as-video'));

  // (b) The dev preview.
  let shots = null;
  try {
    shots = await previewShots({ cli, dir: project, env, times, work: join(work, 'preview') });
  } catch (error) {
    out.preview = {
      error: String(error?.message ?? error)
        .split('\n')[0]
        .slice(0, 300),
    };
  }
  if (shots) out.preview = compareSeen(shots, indexes, official, join(work, 'preview-as-video'));
  out.ms = Math.round(performance.now() - started);
  return out;
}

/**
 * Sets data-fps on the composition root of an entry HTML file: the element framesmith's model and
 * runtime take as the root (findEntryRoot: data-root="true", else the first data-composition-id
 * element, which may be a canvas before the element holding the duration).
 */
async function declareFps(root, file, fps) {
  const { parseHtmlFile, findEntryRoot } = await import(pathToFileURL(join(root, 'dist', 'node', 'model', 'index.js')).href);
  const html = readFileSync(file, 'utf8');
  const at = findEntryRoot(parseHtmlFile(file, html))?.sourceCodeLocation?.startTag;
  if (!at) throw new Error(`${file}: no element with data-composition-id`);
  const tag = html.slice(at.startOffset, at.endOffset).replace(/\sdata-fps=("[^"]*"|'[^']*'|\S+)/, '');
  const withFps = tag.replace(/^<([a-zA-Z][\w-]*)/, `<$1 data-fps="${fps}"`);
  writeFileSync(file, html.slice(0, at.startOffset) + withFps + html.slice(at.endOffset));
}

/** PSNR of framesmith's frames (through the engine video's pixel format) against the engine's frames `indexes`. */
function compareSeen(files, indexes, official, dir) {
  const asVideo = throughVideoFormat(files, official.video, dir);
  const values = indexes.map((n, i) => ({ frame: n, db: psnrFiles(asVideo[i], official.frames[n]) }));
  const worst = values.reduce((w, v) => (v.db < w.db ? v : w), values[0]);
  return { min: worst?.db ?? NaN, worst: worst?.frame ?? null, values: values.map((v) => v.db) };
}

/**
 * `framesmith dev <dir>` (a child process) opened in Chromium at 100 % zoom; for each time, the
 * preview is seeked to that frame (the seek a scrub makes) and the composition's area of the
 * screen is captured. Returns the PNG files, in the order of `times`.
 */
async function previewShots({ cli, dir, env, times, work }) {
  mkdirSync(work, { recursive: true });
  const { launchBrowser } = await import(pathToFileURL(join(cli, '..', '..', 'dist', 'node', 'browser', 'launch.js')).href);
  const child = spawn(process.execPath, [cli, 'dev', dir, '--port', '0'], {
    env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.on('exit', r));
  let browser = null;
  try {
    const url = await new Promise((resolvePromise, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`framesmith dev printed no URL within 60 s: ${stderr.slice(-300)}`)), 60_000);
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /(http:\/\/\S+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolvePromise(m[1]);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`framesmith dev exited (${code}) before printing its URL: ${stderr.slice(-300)}`));
      });
    });
    browser = await launchBrowser();
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => localStorage.setItem('framesmith.dev.view', JSON.stringify({ zoom: 1 })));
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window.__framesmithDev?.updates.length ?? 0) >= 1, null, { timeout: 60_000 });
    // Room for the whole picture at 100 % beside the preview's panels (one screen pixel per composition pixel).
    const state = await page.evaluate(() => window.__framesmithDev.state());
    await page.setViewportSize({ width: state.width + 800, height: state.height + 700 });
    const files = [];
    for (const [i, t] of times.entries()) {
      const frame = Math.round(t * state.fps);
      await page.evaluate((f) => window.__framesmithDev.seek(f), frame);
      await page.waitForFunction((f) => window.__framesmithDev.shown() === f && window.__framesmithDev.state().frame === f, frame, {
        timeout: 30_000,
      });
      const box = await page.locator('.frame-scale').boundingBox();
      const view = page.viewportSize();
      if (!box || Math.round(box.width) !== state.width || Math.round(box.height) !== state.height)
        throw new Error(`the preview does not show the composition at 100 % (${JSON.stringify(box)})`);
      if (box.x < 0 || box.y < 0 || box.x + box.width > view.width || box.y + box.height > view.height)
        throw new Error(`the picture is not wholly on screen (${JSON.stringify(box)} in ${view.width}×${view.height})`);
      const file = join(work, `${String(i).padStart(3, '0')}.png`);
      await page.locator('.frame-scale').screenshot({ path: file });
      files.push(file);
    }
    await context.close();
    return files;
  } finally {
    await browser?.close();
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Every frame of a video as PNG files (in order). */
export async function decodeFrames(video, dir) {
  rmSync(dir, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', dir]);
  const r = await run('ffmpeg', ['-v', 'error', '-i', video, '-vsync', '0', join(dir, '%06d.png')]);
  if (r.status !== 0) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => join(dir, f));
}

/** The first frame in the dev preview: painted? which errors does the preview show? */
export async function devCheck(root, dir, env) {
  const load = (rel) => import(pathToFileURL(join(root, 'dist', 'node', rel)).href);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const { createDevServer } = await load('dev/index.js');
  const { launchBrowser } = await load('browser/launch.js');
  const { silentLogger } = await load('core/logger.js');
  const server = await createDevServer({ dir, port: 0, logger: silentLogger });
  const browser = await launchBrowser();
  try {
    await server.ready;
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const foreign = [];
    context.on('request', (req) => {
      if (!req.url().startsWith(server.origin) && !req.url().startsWith('data:')) foreign.push(req.url());
    });
    await page.goto(server.url);
    const painted = await page
      .waitForFunction(() => (window.__framesmithDev?.updates.length ?? 0) >= 1, null, { timeout: 45_000 })
      .then(
        () => true,
        () => false,
      );
    await page.waitForTimeout(500);
    const shown = await page.evaluate(() => {
      // The problems list the top bar's badge opens (its causes; consequences are nested under them).
      const items = [...document.querySelectorAll('.problems-popover .problem-list > .problem')];
      const overlay = document.querySelector('.error-overlay');
      return {
        overlay: Boolean(overlay && !overlay.hidden),
        errors: items
          .filter((i) => i.classList.contains('error'))
          .map((i) => ({
            source: i.querySelector('.problem-source')?.textContent ?? '',
            code: i.querySelector('.problem-code')?.textContent ?? '',
          })),
        warnings: items.filter((i) => i.classList.contains('warning')).length,
      };
    });
    await context.close();
    return { painted, overlay: shown.overlay, errors: shown.errors, warnings: shown.warnings, foreign };
  } finally {
    await browser.close();
    await server.close();
    for (const k of Object.keys(env)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

function lastError(text) {
  const lines = String(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /^error\b|✗|Error:/.test(l))?.slice(0, 300) ?? lines.at(-1)?.slice(0, 300) ?? '';
}

/** Removes a work folder. */
export function cleanup(work) {
  rmSync(work, { recursive: true, force: true });
}
