// The compositions the parity harness compares: framesmith's templates (made with `framesmith
// new`), its test fixtures, and the corpus of official HyperFrames examples (made self-contained).
// Every composition is prepared as a fresh copy in a temp folder; nothing is run in place.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Test fixtures that are not one composition each (collections of lint/model cases, a README). */
const NOT_COMPOSITIONS = new Set(['lint', 'model', 'no-entry']);

/**
 * Where the corpus of official examples is: $FRAMESMITH_CORPUS, else
 * `shared/corpus/hyperframes-examples` in the nearest folder above the repository that has one.
 * @param {string} root framesmith checkout
 */
export function findCorpus(root, env = process.env) {
  if (env.FRAMESMITH_CORPUS) return existsSync(env.FRAMESMITH_CORPUS) ? resolve(env.FRAMESMITH_CORPUS) : null;
  for (let dir = resolve(root, '..'); ; dir = dirname(dir)) {
    const c = join(dir, 'shared', 'corpus', 'hyperframes-examples');
    if (existsSync(join(c, 'README.md'))) return c;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * @typedef {{ name: string, set: 'templates' | 'fixtures' | 'corpus' | 'parity', source: string,
 *   prepare(dest: string): string, note?: string }} Composition
 *   prepare copies the composition into `dest` (a folder that does not exist yet) and returns the project folder.
 */

/**
 * Every composition of the given sets, in a stable order.
 * @param {{ root: string, sets?: string[], only?: string[] }} options
 *   only: keep names containing one of these strings (or `set/name`)
 * @returns {Composition[]}
 */
export function listCompositions({ root, sets = ['templates', 'fixtures', 'parity', 'corpus'], only = [] }) {
  const all = [];
  if (sets.includes('templates')) {
    for (const name of readdirSync(join(root, 'templates')).sort()) {
      if (!existsSync(join(root, 'templates', name, 'template.json'))) continue;
      all.push({ name, set: 'templates', source: join(root, 'templates', name), prepare: (dest) => fromTemplate(root, name, dest) });
    }
  }
  if (sets.includes('fixtures')) {
    const base = join(root, 'test', 'fixtures');
    for (const name of readdirSync(base).sort()) {
      const src = join(base, name);
      if (NOT_COMPOSITIONS.has(name) || name.startsWith('parity-') || !existsSync(join(src, 'index.html'))) continue;
      all.push({
        name,
        set: 'fixtures',
        source: src,
        prepare: (dest) => fromFixture(root, src, dest),
        ...(IGNORE[name] ? { ignore: IGNORE[name] } : {}),
      });
    }
  }
  if (sets.includes('parity')) {
    // One fixture per nested-timing and render-mode case (test/fixtures/parity-*).
    const base = join(root, 'test', 'fixtures');
    for (const name of readdirSync(base).sort()) {
      if (!name.startsWith('parity-') || !existsSync(join(base, name, 'index.html'))) continue;
      const src = join(base, name);
      all.push({ name, set: 'parity', source: src, prepare: (dest) => fromFixture(root, src, dest) });
    }
  }
  if (sets.includes('corpus')) {
    const corpus = findCorpus(root);
    if (corpus) {
      for (const name of readdirSync(corpus).sort()) {
        const src = join(corpus, name);
        if (!statSync(src).isDirectory() || !existsSync(join(src, 'index.html'))) continue;
        all.push({ name, set: 'corpus', source: src, prepare: (dest) => selfContained(root, src, dest) });
      }
    }
  }
  return all.filter((c) => only.length === 0 || only.some((o) => c.name.includes(o) || `${c.set}/${c.name}` === o || c.set === o));
}

/** A project from a template, made by the real CLI as a user would. */
function fromTemplate(root, name, dest) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'framesmith.js'), 'new', dest, '--template', name, '--quiet'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.status !== 0) throw new Error(`framesmith new --template ${name} failed: ${r.stderr}`);
  return dest;
}

/**
 * Parts of a fixture's frame that the engine draws differently on every render, left out of the
 * PSNR (`ignore`: rectangles in composition pixels, and why). Shown in the report; the side-by-side
 * image still shows the whole frame.
 *
 * probe (test/fixtures/probe) exists to read every time source a page has. In HeyGen's renderer
 * (0.8.170) Date.now(), performance.now() and requestAnimationFrame follow the composition time,
 * and those bars match framesmith's exactly; but its timers run on real time while it captures
 * (a setTimeout(1000) has fired by 0.6 s of composition time, a 250 ms setInterval has ticked 32
 * times by 4 s where composition time gives 16: it depends on how fast the machine renders) and
 * its Math.random() is not seeded, so the timeout, interval and random bars differ from one engine
 * render to the next (two renders: `npm run parity -- --engine-runs 2 fixtures/probe`).
 * framesmith runs timers on composition time and seeds Math.random on purpose (deterministic
 * renders; lint reports both), so those three bars cannot match: left out, the rest of the frame
 * (the Date, performance.now/rAF, CSS, WAAPI and GSAP boxes, the late clip, the label) must.
 */
export const IGNORE = {
  probe: {
    regions: [
      { x: 0, y: 70, width: 640, height: 24 }, // #timeout-bar: setTimeout on the engine's real time
      { x: 0, y: 100, width: 640, height: 24 }, // #interval-bar: setInterval on the engine's real time
      { x: 0, y: 130, width: 640, height: 24 }, // #random-bar: unseeded Math.random on a real-time interval
    ],
    cause:
      "the engine's timers run on real time and its Math.random is not seeded: the timeout, interval and random bars (y 70-154) differ between two of its own renders; left out",
  },
};

/**
 * The media of the render-media fixture, which the repository does not hold: a 2 s test pattern
 * with a tone (media/clip.mp4) and a 1 s chime (media/chime.wav). The render tests make it the
 * same way (test/e2e/render-helpers.ts makeTestMedia calls this).
 */
export function makeRenderMedia(dir) {
  mkdirSync(join(dir, 'media'), { recursive: true });
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=30:duration=2',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=2',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    join(dir, 'media', 'clip.mp4'),
  ]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=880:duration=1', join(dir, 'media', 'chime.wav')]);
}

/** Files some fixtures need that the repository does not hold. */
const GENERATED = { 'render-media': makeRenderMedia };

function ffmpeg(args) {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
}

/**
 * A copy of a test fixture with GSAP vendored where its pages ask for vendor/gsap.min.js. A module
 * project (a package.json: build-module, dev-module) gets its dependencies linked from the
 * repository's node_modules, as the build and dev tests do and as `npm install` would give a user,
 * so Vite can bundle its imports; its comparison then runs on what `framesmith build` makes of it
 * (run.mjs: the zip HeyGen would receive, for both sides).
 */
function fromFixture(root, src, dest) {
  cpSync(src, dest, { recursive: true });
  GENERATED[basename(src)]?.(dest);
  linkDependencies(root, dest);
  if (htmlFiles(dest).some((f) => readFileSync(f, 'utf8').includes('vendor/gsap.min.js'))) {
    mkdirSync(join(dest, 'vendor'), { recursive: true });
    copyFileSync(join(root, 'node_modules', 'gsap', 'dist', 'gsap.min.js'), join(dest, 'vendor', 'gsap.min.js'));
  }
  return dest;
}

/** Links each dependency a project's package.json names from the repository's node_modules. */
function linkDependencies(root, dir) {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
    const from = join(root, 'node_modules', name);
    const to = join(dir, 'node_modules', name);
    if (!existsSync(from)) throw new Error(`${basename(dir)} needs ${name}, which is not in ${join(root, 'node_modules')} (run npm ci)`);
    if (existsSync(to)) continue;
    mkdirSync(dirname(to), { recursive: true });
    symlinkSync(from, to, 'dir');
  }
}

/**
 * TEMPORARY (until `framesmith vendor` lands on main, branch i11-remote): a self-contained copy
 * of a corpus example, made by mapping the CDN URLs the corpus is known to use to files from
 * node_modules. URLs with no local file here (three.js, Google Fonts, a remote texture) are left
 * as they are: both engines fail to load them the same way, and the report says so.
 */
const KNOWN_CDN_FILES = [
  {
    pattern: /https:\/\/cdn\.jsdelivr\.net\/npm\/gsap@3(?:\.\d+){0,2}\/dist\/gsap\.min\.js/g,
    file: ['gsap', 'dist', 'gsap.min.js'],
    to: 'vendor/gsap.min.js',
  },
];

function selfContained(root, src, dest) {
  cpSync(src, dest, { recursive: true });
  chmodWritable(dest);
  // Once `framesmith vendor` is built (branch i11-remote), it makes the copy self-contained:
  // CDN scripts from the npm registry, Google Fonts, other remote files, through its content cache
  // (FRAMESMITH_CACHE_DIR; the harness keeps its own under bench-out/ unless one is set).
  if (existsSync(join(root, 'dist', 'node', 'commands', 'vendor.js'))) {
    // The real npm registry (the tests point FRAMESMITH_NPM_REGISTRY at a closed port), as the
    // corpus tests vendor: both then hand the engine the same copy (engine-cache.mjs shares it).
    const env = {
      ...process.env,
      NO_COLOR: '1',
      CI: '1',
      FRAMESMITH_CACHE_DIR: process.env.FRAMESMITH_CACHE_DIR ?? join(root, 'bench-out', 'cache'),
      FRAMESMITH_NPM_REGISTRY: npmRegistry(),
    };
    const r = spawnSync(process.execPath, [join(root, 'bin', 'framesmith.js'), 'vendor', dest, '--json'], {
      encoding: 'utf8',
      env,
      timeout: 300_000,
    });
    // Exit 9: some files could not be had (left remote, as they are for the engine too).
    if (r.status === 0 || r.status === 9) return dest;
    throw new Error(`framesmith vendor failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-600)}`);
  }
  for (const file of htmlFiles(dest)) {
    let text = readFileSync(file, 'utf8');
    let changed = false;
    for (const m of KNOWN_CDN_FILES) {
      if (!m.pattern.test(text)) continue;
      m.pattern.lastIndex = 0;
      const target = join(dest, m.to);
      if (!existsSync(target)) {
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(join(root, 'node_modules', ...m.file), target);
      }
      // Script paths of sub-compositions resolve from the project root in both engines.
      text = text.replace(m.pattern, m.to);
      changed = true;
    }
    if (changed) writeFileSync(file, text);
  }
  return dest;
}

/** The npm registry this machine's npm uses. */
function npmRegistry() {
  const r = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' });
  return (r.status === 0 && r.stdout.trim()) || 'https://registry.npmjs.org/';
}

/** The corpus is read-only; copies must be writable (the engine writes state into them). */
function chmodWritable(dir) {
  spawnSync('chmod', ['-R', 'u+w', dir]);
}

/** Every .html file under a folder. */
export function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Remote URLs still referenced by a prepared copy (for the report's notes). */
export function remoteRefs(dir) {
  const found = new Set();
  for (const f of htmlFiles(dir)) {
    for (const m of readFileSync(f, 'utf8').matchAll(
      /(?:src|href)=["'](https?:\/\/[^"']+)["']|url\(["']?(https?:\/\/[^"')]+)|from\s+["'](https?:\/\/[^"']+)["']|@import\s+["'](https?:\/\/[^"']+)["']/g,
    )) {
      const url = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (!/^https:\/\/fonts\.(googleapis|gstatic)\.com\/?$/.test(url)) found.add(url);
    }
  }
  return [...found];
}
