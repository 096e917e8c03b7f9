/**
 * npm CDN URLs (jsDelivr `/npm/`, unpkg, esm.sh, esm.run, Skypack, and cdnjs for the libraries it
 * shares with npm) read as package, version range and file, and resolved to one file of one
 * exact version through the npm registry: what `vendor` writes into a project and what the
 * content cache serves when the CDN itself cannot be reached.
 *
 * Two forms:
 * - `file`: the URL names a file of the package, or its default file (jsDelivr: `jsdelivr`,
 *   `browser` or `main`, minified when the package ships the .min twin; unpkg: `unpkg`,
 *   `browser` or `main`). The registry's file is the CDN's file.
 * - `module`: the CDN serves an ES module built from the package (esm.sh, Skypack, esm.run,
 *   jsDelivr `/+esm`, unpkg `?module`). framesmith takes the package's own ES module entry
 *   (`exports` with the browser/import conditions, else `module`), whose relative imports are
 *   files of the same package.
 */
import { posix } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import type { NpmFile, NpmRegistry, PackageListing, PackageManifest } from './npm-registry.js';

export type NpmCdn = 'jsdelivr' | 'unpkg' | 'esm.sh' | 'skypack' | 'cdnjs';

export interface NpmCdnRef {
  cdn: NpmCdn;
  /** The URL as given. */
  url: string;
  name: string;
  /** Version, range or dist-tag as written ('latest' when absent). */
  range: string;
  /** Path inside the package, or null for the package's default file / module entry. */
  file: string | null;
  form: 'file' | 'module';
  /** cdnjs: folders of the npm package where its files live, tried in order. */
  dirs?: string[];
}

const JSDELIVR_HOSTS = new Set([
  'cdn.jsdelivr.net',
  'fastly.jsdelivr.net',
  'gcore.jsdelivr.net',
  'testingcf.jsdelivr.net',
  'quantil.jsdelivr.net',
  'originfastly.jsdelivr.net',
]);
const UNPKG_HOSTS = new Set(['unpkg.com', 'www.unpkg.com', 'npm.unpkg.com']);
const ESM_SH_HOSTS = new Set(['esm.sh', 'cdn.esm.sh']);

/**
 * cdnjs libraries and their npm packages: cdnjs name → npm name, the package folders cdnjs
 * files come from, and how a cdnjs version reads as an npm version.
 */
export const CDNJS_LIBRARIES: Record<string, { npm: string; dirs: string[]; version?: (v: string) => string }> = {
  gsap: { npm: 'gsap', dirs: ['dist', ''] },
  'three.js': { npm: 'three', dirs: ['build', ''], version: (v) => (/^r\d+$/.test(v) ? `0.${v.slice(1)}.0` : v) },
  'lodash.js': { npm: 'lodash', dirs: [''] },
  lodash: { npm: 'lodash', dirs: [''] },
  animejs: { npm: 'animejs', dirs: ['lib', 'dist', 'dist/bundles', ''] },
  'anime.js': { npm: 'animejs', dirs: ['lib', 'dist', ''] },
  d3: { npm: 'd3', dirs: ['dist', ''] },
  jquery: { npm: 'jquery', dirs: ['dist', ''] },
  'pixi.js': { npm: 'pixi.js', dirs: ['dist', 'dist/browser', ''] },
  'matter-js': { npm: 'matter-js', dirs: ['build', ''] },
  'p5.js': { npm: 'p5', dirs: ['lib', 'lib/addons', ''] },
  'lottie-web': { npm: 'lottie-web', dirs: ['build/player', ''] },
  bodymovin: { npm: 'lottie-web', dirs: ['build/player', ''] },
  'Chart.js': { npm: 'chart.js', dirs: ['dist', ''] },
  'chart.js': { npm: 'chart.js', dirs: ['dist', ''] },
  'moment.js': { npm: 'moment', dirs: ['min', ''] },
  howler: { npm: 'howler', dirs: ['dist', ''] },
  KaTeX: { npm: 'katex', dirs: ['dist', ''] },
  mathjs: { npm: 'mathjs', dirs: ['lib/browser', 'dist', ''] },
  popmotion: { npm: 'popmotion', dirs: ['dist', ''] },
  'tween.js': { npm: '@tweenjs/tween.js', dirs: ['dist', ''] },
  velocity: { npm: 'velocity-animate', dirs: [''] },
  'mo-js': { npm: '@mojs/core', dirs: ['dist', ''] },
  Splitting: { npm: 'splitting', dirs: ['dist', ''] },
  'countup.js': { npm: 'countup.js', dirs: ['dist', ''] },
  'typed.js': { npm: 'typed.js', dirs: ['dist', 'lib', ''] },
  babylonjs: { npm: 'babylonjs', dirs: [''] },
  'canvas-confetti': { npm: 'canvas-confetti', dirs: ['dist', ''] },
  tsparticles: { npm: 'tsparticles', dirs: [''] },
  normalize: { npm: 'normalize.css', dirs: [''] },
  'animate.css': { npm: 'animate.css', dirs: [''] },
  'font-awesome': { npm: '@fortawesome/fontawesome-free', dirs: [''] },
  'highlight.js': { npm: '@highlightjs/cdn-assets', dirs: [''] },
  prism: { npm: 'prismjs', dirs: [''] },
  marked: { npm: 'marked', dirs: ['lib', ''] },
  'rough.js': { npm: 'roughjs', dirs: ['bundled', ''] },
  'two.js': { npm: 'two.js', dirs: ['build', ''] },
  'paper.js': { npm: 'paper', dirs: ['dist', ''] },
  'fabric.js': { npm: 'fabric', dirs: ['dist', ''] },
  konva: { npm: 'konva', dirs: ['', 'lib'] },
  ScrollMagic: { npm: 'scrollmagic', dirs: ['scrollmagic/minified', 'scrollmagic/uncompressed', ''] },
};

/** `name@range/rest` (scoped names too) → parts; null when it is not one. */
function splitSpec(path: string): { name: string; range: string; rest: string; trailingSlash: boolean } | null {
  const segs = path.split('/');
  let nameSegs: string[];
  let restSegs: string[];
  if (segs[0].startsWith('@')) {
    if (segs.length < 2) return null;
    nameSegs = [segs[0], segs[1]];
    restSegs = segs.slice(2);
  } else {
    nameSegs = [segs[0]];
    restSegs = segs.slice(1);
  }
  const last = nameSegs.length - 1;
  const at = nameSegs[last].indexOf('@', 1);
  let range = 'latest';
  if (at >= 0) {
    range = decodeURIComponent(nameSegs[last].slice(at + 1)) || 'latest';
    nameSegs[last] = nameSegs[last].slice(0, at);
  }
  const name = decodeURIComponent(nameSegs.join('/'));
  if (!/^(@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i.test(name)) return null;
  const rest = restSegs.map((s) => decodeURIComponent(s)).join('/');
  return { name, range, rest: rest.replace(/\/+$/, ''), trailingSlash: path.endsWith('/') && restSegs.length > 0 };
}

/** Reads an npm CDN URL; null when the URL is not one (or names a folder listing or a combination). */
export function parseNpmCdnUrl(input: string): NpmCdnRef | null {
  let url: URL;
  try {
    url = new URL(input.startsWith('//') ? `https:${input}` : input);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  const path = url.pathname.replace(/^\/+/, '');
  const ref = (cdn: NpmCdn, spec: NonNullable<ReturnType<typeof splitSpec>>, form: 'file' | 'module', file: string | null): NpmCdnRef => ({
    cdn,
    url: input,
    name: spec.name,
    range: spec.range,
    file,
    form,
  });

  if (JSDELIVR_HOSTS.has(host)) {
    if (!path.startsWith('npm/')) return null;
    const spec = splitSpec(path.slice(4));
    if (!spec || spec.trailingSlash) return null;
    if (spec.rest === '+esm' || spec.rest.endsWith('/+esm')) {
      const sub = spec.rest.replace(/\/?\+esm$/, '');
      return ref('jsdelivr', spec, 'module', sub || null);
    }
    return ref('jsdelivr', spec, 'file', spec.rest || null);
  }
  if (host === 'esm.run') {
    const spec = splitSpec(path);
    return spec ? ref('jsdelivr', spec, 'module', spec.rest || null) : null;
  }
  if (UNPKG_HOSTS.has(host)) {
    const spec = splitSpec(path);
    if (!spec || spec.trailingSlash) return null;
    return ref('unpkg', spec, url.searchParams.has('module') ? 'module' : 'file', spec.rest || null);
  }
  if (ESM_SH_HOSTS.has(host)) {
    // esm.sh's own build paths (/v135/…, /stable/…) and options (/*name, ?bundle) are read as the package.
    let p = path.replace(/^(v\d+|stable)\//, '').replace(/^\*/, '');
    if (p.startsWith('gh/') || p.startsWith('pr/') || p.startsWith('jsr/') || p.startsWith('http')) return null;
    const spec = splitSpec(p);
    if (!spec) return null;
    // esm.sh build artefacts (`gsap@3.12.5/es2022/gsap.mjs`) stand for the package's entry.
    if (/^(es20\d\d|esnext|denonext|deno|node)\//.test(spec.rest)) return ref('esm.sh', spec, 'module', null);
    p = spec.rest;
    return ref('esm.sh', spec, 'module', p || null);
  }
  if (host === 'cdn.skypack.dev') {
    if (path.startsWith('-/') || path.startsWith('new/') || path.startsWith('error/')) return null;
    const spec = splitSpec(path);
    return spec ? ref('skypack', spec, 'module', spec.rest || null) : null;
  }
  if (host === 'cdnjs.cloudflare.com') {
    const m = /^ajax\/libs\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
    if (!m) return null;
    const lib = CDNJS_LIBRARIES[decodeURIComponent(m[1])];
    if (!lib) return null;
    const version = decodeURIComponent(m[2]);
    return {
      cdn: 'cdnjs',
      url: input,
      name: lib.npm,
      range: lib.version ? lib.version(version) : version,
      file: decodeURIComponent(m[3]),
      form: 'file',
      dirs: lib.dirs,
    };
  }
  return null;
}

/** What an npm CDN URL resolves to. */
export interface ResolvedCdnFile {
  ref: NpmCdnRef;
  name: string;
  version: string;
  /** Path of the file inside the package. */
  path: string;
  /** Set when the file differs from what the CDN would send (e.g. jsDelivr's on-the-fly minification). */
  note?: string;
  listing: PackageListing;
}

const has = (listing: PackageListing, path: string) => listing.files.some((f) => f.path === path);

/** `exports` entry for a subpath ('.' or './x'), following the browser/import conditions; patterns with one `*`. */
export function exportsTarget(manifest: PackageManifest, subpath: string): string | null {
  let exp = manifest.exports as unknown;
  if (exp === undefined || exp === null) return null;
  if (
    typeof exp === 'string' ||
    Array.isArray(exp) ||
    (typeof exp === 'object' && !Object.keys(exp as object).some((k) => k.startsWith('.')))
  ) {
    exp = { '.': exp };
  }
  const map = exp as Record<string, unknown>;
  let target: unknown = map[subpath];
  let star: string | null = null;
  if (target === undefined) {
    for (const [key, value] of Object.entries(map)) {
      const i = key.indexOf('*');
      if (i < 0) continue;
      const [pre, post] = [key.slice(0, i), key.slice(i + 1)];
      if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= pre.length + post.length) {
        star = subpath.slice(pre.length, subpath.length - post.length);
        target = value;
        break;
      }
    }
  }
  const pick = (t: unknown): string | null => {
    if (typeof t === 'string') return t;
    if (Array.isArray(t)) {
      for (const x of t) {
        const r = pick(x);
        if (r) return r;
      }
      return null;
    }
    if (t && typeof t === 'object') {
      for (const cond of ['browser', 'import', 'module', 'default'])
        if (cond in (t as object)) {
          const r = pick((t as Record<string, unknown>)[cond]);
          if (r) return r;
        }
    }
    return null;
  };
  const found = pick(target);
  if (!found) return null;
  return (star !== null ? found.replace(/\*/g, star) : found).replace(/^\.\//, '');
}

/** The default file a `file`-form CDN serves for a package URL without a path. */
function defaultFile(ref: NpmCdnRef, listing: PackageListing): string | null {
  const m = listing.manifest;
  const browser = typeof m.browser === 'string' ? m.browser : undefined;
  const field = (ref.cdn === 'unpkg' ? m.unpkg : m.jsdelivr) ?? browser ?? m.main ?? 'index.js';
  const path = posix.normalize(field).replace(/^\.\//, '').replace(/^\/+/, '');
  const candidates =
    ref.cdn === 'jsdelivr' && /\.js$/.test(path) && !/\.min\.js$/.test(path) ? [path.replace(/\.js$/, '.min.js'), path] : [path];
  for (const c of [...candidates, ...candidates.flatMap((c) => [`${c}.js`, `${c}/index.js`])]) if (has(listing, c)) return c;
  return null;
}

/** The ES module entry (or subpath) a `module`-form CDN serves. */
function moduleFile(ref: NpmCdnRef, listing: PackageListing): string | null {
  const m = listing.manifest;
  const sub = ref.file;
  if (sub && has(listing, sub)) return sub;
  const viaExports = exportsTarget(m, sub ? `./${sub}` : '.');
  if (viaExports && has(listing, viaExports)) return viaExports;
  if (sub) {
    for (const c of [`${sub}.js`, `${sub}.mjs`, `${sub}/index.js`, `${sub}/index.mjs`]) if (has(listing, c)) return c;
    return null;
  }
  for (const c of [m.module, typeof m.browser === 'string' ? m.browser : undefined, m.main, 'index.js', 'index.mjs']) {
    if (!c) continue;
    const p = posix.normalize(c).replace(/^\.\//, '');
    for (const x of [p, `${p}.js`, `${p}/index.js`]) if (has(listing, x)) return x;
  }
  return null;
}

/** Resolves a CDN reference to one file of one exact version (downloading the tarball when needed). */
export async function resolveCdnFile(registry: NpmRegistry, ref: NpmCdnRef): Promise<ResolvedCdnFile> {
  const listing = await registry.listing(ref.name, ref.range);
  const base = { ref, name: ref.name, version: listing.version, listing };
  const missing = (what: string) =>
    new FramesmithError('npm_file_not_found', `${ref.url}: npm package ${ref.name}@${listing.version} has no ${what}.`, {
      hint: `Check the path in the URL against the package's files (\`npm pack ${ref.name}@${listing.version} --dry-run\` lists them).`,
    });
  if (ref.cdn === 'cdnjs') {
    const file = ref.file!;
    for (const dir of ref.dirs ?? ['']) {
      const p = dir ? `${dir}/${file}` : file;
      if (has(listing, p)) return { ...base, path: p };
    }
    throw missing(`file matching cdnjs's ${file}`);
  }
  if (ref.form === 'module') {
    const p = moduleFile(ref, listing);
    if (!p) throw missing(ref.file ? `ES module for ${ref.file}` : 'ES module entry (no "exports", "module" or "main" file)');
    return { ...base, path: p };
  }
  if (!ref.file) {
    const p = defaultFile(ref, listing);
    if (!p) throw missing('default file (no "main" field and no index.js)');
    return { ...base, path: p };
  }
  if (has(listing, ref.file)) return { ...base, path: ref.file };
  // jsDelivr minifies on request: a .min twin the package does not ship is the plain file, minified.
  const plain = ref.file.replace(/\.min\.(js|css)$/, '.$1');
  if (ref.cdn === 'jsdelivr' && plain !== ref.file && has(listing, plain)) {
    return {
      ...base,
      path: plain,
      note: `the package ships no ${ref.file}; jsDelivr minifies ${plain} on request, framesmith uses it as it is`,
    };
  }
  // unpkg and jsDelivr accept a path without its extension.
  for (const c of [`${ref.file}.js`, `${ref.file}/index.js`]) if (has(listing, c)) return { ...base, path: c };
  throw missing(`file ${ref.file}`);
}

/** The bytes of a CDN reference's file. */
export async function fetchCdnFile(registry: NpmRegistry, ref: NpmCdnRef): Promise<ResolvedCdnFile & { file: NpmFile }> {
  const resolved = await resolveCdnFile(registry, ref);
  const file = await registry.file(resolved.name, resolved.version, resolved.path);
  return { ...resolved, file };
}
