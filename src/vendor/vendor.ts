/**
 * `vendorProject()`: makes a composition project self-contained. Every remote file its HTML, CSS
 * and module scripts load is copied into the project and the references are rewritten to the
 * copies:
 * - npm CDN URLs (jsDelivr, unpkg, esm.sh, esm.run, Skypack, cdnjs for the libraries it shares
 *   with npm) become the exact file of the exact package version, from the npm registry with its
 *   integrity checked, under `vendor/<package>@<version>/<path in the package>` with the package's
 *   licence beside it; a module's own relative imports (e.g. three.module.js's siblings) come along,
 *   and for module CDNs its bare imports too;
 * - Google Fonts stylesheets become the faces they ask for from the families' @fontsource packages,
 *   as `fonts/<family>.css` with local `@font-face` rules, the font files under `fonts/<family>/`
 *   and the family's licence;
 * - anything else is downloaded (or taken from framesmith's cache) under `vendor/<host>/<path>`
 *   (fonts under `fonts/<host>/…`); a stylesheet's `url()`/`@import` and a module's imports are
 *   followed and rewritten too.
 *
 * `<link rel="preconnect">` hints to hosts nothing loads from any more are removed. What cannot be
 * had is listed with the reason and its references stay as they were. Nothing is written until
 * everything is resolved; then every file is staged beside its target and renamed into place, and
 * a failure while renaming puts back what was there: never a half-vendored project. A second run
 * finds nothing to do.
 */
import { randomBytes, createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join, posix, resolve } from 'node:path';
import { collectProjectFiles } from '../build/collect-files.js';
import { makeDirs, type CreatedDirs } from '../core/created-dirs.js';
import { FramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { isGoogleFontsCssUrl } from '../fonts/google-fonts-url.js';
import { attr, descendants, parseHtmlFile } from '../model/index.js';
import { fontsourceStylesheet } from '../remote/google-fonts.js';
import { isBareSpecifier, moduleSpecifiers } from '../remote/js-imports.js';
import { fetchCdnFile, parseNpmCdnUrl, type NpmCdnRef } from '../remote/npm-cdn.js';
import { defaultRemoteResolver, rawFileUrl, type RemoteResolver } from '../remote/resolver.js';
import { rewriteCss, rewriteHtml, rewriteJs, type UrlContext, type UrlMap } from '../remote/rewrite.js';
import { parse as parseHtml } from 'parse5';
import { EXIT } from '../core/exit-codes.js';

/** Exit code of `framesmith vendor` when some remote files could not be vendored (the rest was). */
export const VENDOR_EXIT_INCOMPLETE = 9;

export interface VendorOptions {
  /** Project folder. */
  dir: string;
  /** Resolve and report, write nothing. */
  dryRun?: boolean;
  logger?: Logger;
  /** Default: the process's (content cache, network, npm registry). */
  resolver?: RemoteResolver;
}

export interface VendoredFile {
  /** The URL as the project wrote it (absolute). */
  url: string;
  /** Project-relative path of the copy. */
  path: string;
  /** Where the bytes came from. */
  from: 'npm' | 'fontsource' | 'network' | 'cache';
  /** `gsap@3.14.2/dist/gsap.min.js`, `@fontsource/nunito@5.2.7: 900 normal`, … */
  detail?: string;
  /** Licence of the copy (SPDX id or file), when known. */
  license: string | null;
  /** Extra files written with it (licence, font files). */
  extra: string[];
  /** True when the copy (and its extras) were already there with the same bytes. */
  unchanged: boolean;
}

export interface VendorProblem {
  url: string;
  code: string;
  reason: string;
  /** Project files that reference it. */
  referencedFrom: string[];
}

export interface VendorResult {
  ok: boolean;
  dryRun: boolean;
  root: string;
  vendored: VendoredFile[];
  /** Project files whose references were rewritten, with how many. */
  rewritten: { file: string; references: number }[];
  /** `<link rel=preconnect|dns-prefetch>` hints removed (file and host). */
  removedHints: { file: string; href: string }[];
  unresolved: VendorProblem[];
  /** Every file written (or that would be, with dryRun). */
  written: string[];
}

type Kind = UrlContext['kind'];

interface Item {
  url: string;
  kind: Kind;
  /** How it is referenced (module imports and import maps need `./` paths). */
  referencedFrom: Set<string>;
  state: 'pending' | 'done' | 'failed';
  path?: string;
  from?: VendoredFile['from'];
  detail?: string;
  license?: string | null;
  /** Bytes to write (rewritten once every dependency is known). */
  bytes?: Buffer;
  /** For CSS and JS copies: their own references, rewritten in phase 2. */
  deps?: { text: string; type: 'css' | 'js' };
  /** Base URL its own relative references resolve against. */
  base?: string;
  /** Bare imports of a module-CDN file → the CDN URL they stand for. */
  bare?: Map<string, string>;
  extras: { path: string; bytes: Buffer }[];
  problem?: { code: string; reason: string };
}

const abs = (u: string) => (u.trim().startsWith('//') ? `https:${u.trim()}` : u.trim());
const isRemote = (u: string) => /^(https?:)?\/\//i.test(u.trim());

/** A safe project path segment (no dotfiles, nothing odd). */
function safeSegment(s: string): string {
  let out = s.replace(/[^A-Za-z0-9._@+=,-]/g, '_');
  if (out.startsWith('.')) out = `_${out.slice(1)}`;
  return out || '_';
}

/** `vendor/<host>/<path>` (fonts under fonts/), the query folded into a short hash before the extension. */
function hostPath(url: string, kind: Kind, contentType: string | null): string {
  const u = new URL(url);
  let segs = u.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return safeSegment(decodeURIComponent(s));
      } catch {
        return safeSegment(s);
      }
    });
  if (!segs.length || u.pathname.endsWith('/')) segs = [...segs, 'index'];
  let name = segs.pop()!;
  if (u.search) {
    const hash = createHash('sha256').update(u.search).digest('hex').slice(0, 8);
    const ext = extname(name);
    name = `${name.slice(0, name.length - ext.length)}-${hash}${ext}`;
  }
  if (!extname(name)) name += extFor(kind, contentType);
  return [kind === 'font' ? 'fonts' : 'vendor', safeSegment(u.host), ...segs, name].join('/');
}

function extFor(kind: Kind, contentType: string | null): string {
  const t = (contentType ?? '').toLowerCase();
  if (t.includes('css') || kind === 'style') return '.css';
  if (t.includes('javascript') || kind === 'script') return '.js';
  if (t.includes('woff2')) return '.woff2';
  if (t.includes('png')) return '.png';
  if (t.includes('jpeg')) return '.jpg';
  if (t.includes('svg')) return '.svg';
  if (t.includes('webp')) return '.webp';
  return '';
}

/** Where a reference from `baseDir` to `target` (project paths) points, as written in that place. */
function relativeRef(baseDir: string, target: string, dotSlash: boolean): string {
  const rel = posix.relative(baseDir || '.', target);
  return dotSlash && !rel.startsWith('.') ? `./${rel}` : rel;
}

const isCss = (path: string, type: string | null) => /\.css$/i.test(path) || Boolean(type && /css/i.test(type));
const isJs = (path: string, type: string | null) => /\.m?js$/i.test(path) || Boolean(type && /javascript|ecmascript/i.test(type));

/** The folder a project file's references resolve from (sub-composition HTML: the project root). */
function baseDirOf(file: string, subCompositions: Set<string>): string {
  if (/\.html?$/i.test(file) && subCompositions.has(file)) return '';
  const d = posix.dirname(file);
  return d === '.' ? '' : d;
}

/** Runs the vendoring. Throws FramesmithError for a project that cannot be read or written; unresolvable URLs are in the result. */
export async function vendorProject(options: VendorOptions): Promise<VendorResult> {
  const logger = options.logger ?? silentLogger;
  const resolver = options.resolver ?? defaultRemoteResolver();
  const npm = resolver.npm;
  const root = resolve(options.dir);
  try {
    if (!(await fs.stat(root)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new FramesmithError('project_not_found', `${options.dir} is not a project folder.`, {
      hint: 'Pass the folder that holds index.html.',
      exitCode: EXIT.usage,
    });
  }
  const collected = await collectProjectFiles(root);
  const textFiles = collected.files.filter((f) => /\.(html?|css|m?js)$/i.test(f.rel));
  const sources = new Map<string, string>();
  for (const f of textFiles) sources.set(f.rel, await fs.readFile(f.abs, 'utf8'));

  // Sub-composition files resolve their URLs from the project root, as the runtime mounts them.
  const subCompositions = new Set<string>();
  for (const [file, text] of sources) {
    if (!/\.html?$/i.test(file) || !text.includes('data-composition-src')) continue;
    for (const el of descendants(parseHtmlFile(file, text).document, { intoTemplates: true })) {
      const src = attr(el, 'data-composition-src');
      if (src && !isRemote(src)) subCompositions.add(posix.normalize(src.replace(/^\/+/, '').split(/[?#]/)[0]));
    }
  }

  // Phase 1: every remote URL of the project, then of the remote files themselves.
  const items = new Map<string, Item>();
  const queue: Item[] = [];
  const want = (url: string, kind: Kind, from: string): Item => {
    const key = abs(url);
    let item = items.get(key);
    if (!item) {
      item = { url: key, kind, referencedFrom: new Set(), state: 'pending', extras: [] };
      items.set(key, item);
      queue.push(item);
    }
    item.referencedFrom.add(from);
    return item;
  };
  const collect: (file: string) => UrlMap = (file) => (url, ctx) => {
    if (isRemote(url)) want(url, ctx.kind, file);
    // Module specifiers of other schemes (node:, npm:) are not files a page loads.
    else if (ctx.via !== 'module-import' && /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^(data|blob|about|javascript|mailto|tel):/i.test(url)) {
      const item = want(url, ctx.kind, file);
      item.state = 'failed';
      item.problem = { code: 'unsupported_url_scheme', reason: `only http(s) URLs can be vendored (${url.split(':')[0]}: is not one)` };
    }
    return null;
  };
  for (const [file, text] of sources) scan(file, text, collect(file));

  while (queue.length) {
    const item = queue.shift()!;
    if (item.state !== 'pending') continue;
    try {
      await resolveItem(item);
    } catch (error) {
      if (!(error instanceof FramesmithError)) throw error;
      item.state = 'failed';
      item.problem = { code: error.code, reason: error.message };
    }
  }

  async function resolveItem(item: Item): Promise<void> {
    const ref = parseNpmCdnUrl(item.url);
    if (ref && !(ref.cdn === 'cdnjs' && !ref.file)) return resolveNpm(item, ref);
    if (isGoogleFontsCssUrl(item.url)) return resolveGoogleFonts(item);
    const file = await resolver.get(item.url, item.kind === 'other' ? 'any' : item.kind === 'style' ? 'style' : item.kind);
    item.path = hostPath(item.url, item.kind, file.contentType);
    item.from = file.via === 'npm' ? 'npm' : file.via === 'fontsource' ? 'fontsource' : file.via === 'cache' ? 'cache' : 'network';
    item.detail = file.detail;
    item.license = null;
    item.bytes = file.bytes;
    item.base = item.url;
    if (isCss(item.path, file.contentType)) followCss(item, file.bytes.toString('utf8'));
    else if (isJs(item.path, file.contentType) && item.kind === 'script') followJs(item, file.bytes.toString('utf8'), null);
    item.state = 'done';
  }

  async function resolveNpm(item: Item, ref: NpmCdnRef): Promise<void> {
    const got = await fetchCdnFile(npm, ref);
    const dir = `vendor/${got.name}@${got.version}`;
    item.path = `${dir}/${got.path}`;
    item.from = 'npm';
    item.detail = `${got.name}@${got.version}/${got.path}${got.note ? ` (${got.note})` : ''}`;
    const licenseName = typeof got.listing.manifest.license === 'string' ? got.listing.manifest.license : null;
    item.license = licenseName ?? (got.listing.licenseFile ? `see ${dir}/${got.listing.licenseFile}` : null);
    if (got.listing.licenseFile) {
      const lic = await npm.file(got.name, got.version, got.listing.licenseFile);
      item.extras.push({ path: `${dir}/${got.listing.licenseFile}`, bytes: lic.bytes });
    }
    item.bytes = got.file.bytes;
    // The raw URL of this file on its CDN: relative imports inside the package resolve against it.
    item.base = rawFileUrl(ref, got.version, got.path);
    if (isCss(got.path, got.file.contentType)) followCss(item, got.file.bytes.toString('utf8'));
    else if (isJs(got.path, got.file.contentType)) {
      const moduleCdn = ref.form === 'module';
      followJs(
        item,
        got.file.bytes.toString('utf8'),
        moduleCdn ? { ref, manifest: got.listing.manifest as Record<string, unknown> } : null,
      );
    }
    item.state = 'done';
  }

  async function resolveGoogleFonts(item: Item): Promise<void> {
    const sheet = await fontsourceStylesheet(item.url, npm, (pkg, f) => `${pkg.id}/${basename(f.file)}`, root);
    const ids = sheet.packages.map((p) => p.pkg.id);
    let name = ids.join('+');
    const taken = [...items.values()].some((o) => o !== item && o.path === `fonts/${name}.css`);
    if (taken) name += `-${createHash('sha256').update(item.url).digest('hex').slice(0, 8)}`;
    item.path = `fonts/${name}.css`;
    item.from = 'fontsource';
    item.detail = sheet.detail;
    item.license = [...new Set(sheet.packages.map((p) => p.pkg.license))].join(', ');
    item.bytes = Buffer.from(
      `/* Made by framesmith vendor from ${item.url}: the same faces from @fontsource (${item.license}). */\n${sheet.css}`,
    );
    for (const { pkg, files } of sheet.packages) {
      for (const f of files)
        item.extras.push({ path: `fonts/${pkg.id}/${basename(f.file)}`, bytes: await fs.readFile(join(pkg.dir, f.file)) });
      if (pkg.licenseFile) item.extras.push({ path: `fonts/${pkg.id}/LICENSE`, bytes: await fs.readFile(pkg.licenseFile) });
    }
    item.state = 'done';
  }

  function followCss(item: Item, text: string): void {
    item.deps = { text, type: 'css' };
    rewriteCss(text, (url, ctx) => {
      const target = resolveAgainst(url, item.base!);
      if (target) want(target, ctx.via === 'css-import' ? 'style' : ctx.kind, item.url);
      return null;
    });
  }

  function followJs(item: Item, text: string, moduleCdn: { ref: NpmCdnRef; manifest: Record<string, unknown> } | null): void {
    const specs = moduleSpecifiers(text);
    if (!specs?.length) return;
    item.deps = { text, type: 'js' };
    item.bare = new Map();
    for (const s of specs) {
      if (isBareSpecifier(s.value)) {
        if (!moduleCdn) continue;
        const target = bareTarget(moduleCdn.ref, moduleCdn.manifest, s.value);
        item.bare.set(s.value, target);
        want(target, 'script', item.url);
        continue;
      }
      const target = resolveAgainst(s.value, item.base!);
      if (target) want(target, 'script', item.url);
    }
  }

  // Phase 2: the copies' own references point at the other copies.
  const pathOf = (url: string): string | null => {
    const it = items.get(abs(url));
    return it?.state === 'done' && it.path ? it.path : null;
  };
  for (const item of items.values()) {
    if (item.state !== 'done' || !item.deps) continue;
    const dir = posix.dirname(item.path!);
    const map: UrlMap = (url, ctx) => {
      const target = item.bare?.get(url) ?? resolveAgainst(url, item.base!);
      if (!target) return null;
      const local = pathOf(target);
      if (!local) return null;
      // A relative reference that already lands on the copy (siblings in a package) stays as written.
      if (
        !isRemote(url) &&
        !url.startsWith('/') &&
        !item.bare?.has(url) &&
        posix.normalize(posix.join(dir, url.split(/[?#]/)[0])) === local
      )
        return null;
      return relativeRef(dir, local, ctx.via === 'module-import');
    };
    const out = item.deps.type === 'css' ? rewriteCss(item.deps.text, map) : rewriteJs(item.deps.text, map);
    if (out.changed) item.bytes = Buffer.from(out.text);
  }

  // Copies that would overwrite a different file of the user's are refused.
  const planned = new Map<string, Buffer>();
  for (const item of items.values()) {
    if (item.state !== 'done') continue;
    const files = [{ path: item.path!, bytes: item.bytes! }, ...item.extras];
    let conflict: string | null = null;
    for (const f of files) {
      const earlier = planned.get(f.path);
      if (earlier && !earlier.equals(f.bytes)) conflict = `${f.path} would get two different files`;
      const onDisk = await fs.readFile(join(root, f.path)).catch(() => null);
      if (onDisk && !onDisk.equals(f.bytes)) conflict = `${f.path} already exists with other content (framesmith does not overwrite it)`;
    }
    if (conflict) {
      item.state = 'failed';
      item.problem = { code: 'vendor_file_conflict', reason: `${conflict}; move it away and run vendor again` };
      continue;
    }
    for (const f of files) planned.set(f.path, f.bytes);
  }

  // The project's own files, rewritten.
  const rewritten: VendorResult['rewritten'] = [];
  const removedHints: VendorResult['removedHints'] = [];
  const changedSources = new Map<string, string>();
  for (const [file, text] of sources) {
    const base = baseDirOf(file, subCompositions);
    const map: UrlMap = (url, ctx) => {
      if (!isRemote(url)) return null;
      const local = pathOf(url);
      return local ? relativeRef(base, local, ctx.via === 'module-import' || ctx.via === 'importmap') : null;
    };
    const out = scan(file, text, map);
    if (out.changed) {
      changedSources.set(file, out.text);
      rewritten.push({ file, references: out.changed });
    }
  }
  // Hints to hosts nothing loads from any more.
  const stillRemote = new Set<string>();
  for (const [file, text] of sources) {
    scan(file, changedSources.get(file) ?? text, (url) => {
      if (isRemote(url)) stillRemote.add(new URL(abs(url)).host);
      return null;
    });
  }
  const vendoredHosts = new Set([...items.values()].filter((i) => i.state === 'done').map((i) => new URL(i.url).host));
  for (const [file, text] of sources) {
    if (!/\.html?$/i.test(file)) continue;
    const current = changedSources.get(file) ?? text;
    const { text: next, removed } = removeHints(current, (host) => vendoredHosts.has(host) && !stillRemote.has(host));
    if (removed.length) {
      changedSources.set(file, next);
      for (const href of removed) removedHints.push({ file, href });
      if (!rewritten.some((r) => r.file === file)) rewritten.push({ file, references: 0 });
    }
  }

  const vendored: VendoredFile[] = [];
  const writes: { path: string; bytes: Buffer }[] = [];
  for (const item of items.values()) {
    if (item.state !== 'done') continue;
    const files = [{ path: item.path!, bytes: item.bytes! }, ...item.extras];
    let unchanged = true;
    for (const f of files) {
      const onDisk = await fs.readFile(join(root, f.path)).catch(() => null);
      if (!onDisk) {
        unchanged = false;
        if (!writes.some((w) => w.path === f.path)) writes.push(f);
      }
    }
    vendored.push({
      url: item.url,
      path: item.path!,
      from: item.from!,
      detail: item.detail,
      license: item.license ?? null,
      extra: item.extras.map((e) => e.path),
      unchanged,
    });
  }
  for (const [file, text] of changedSources) writes.push({ path: file, bytes: Buffer.from(text) });

  const unresolved: VendorProblem[] = [...items.values()]
    .filter((i) => i.state === 'failed')
    .map((i) => ({ url: i.url, code: i.problem!.code, reason: i.problem!.reason, referencedFrom: [...i.referencedFrom] }));

  if (!options.dryRun && writes.length) await writeAtomically(root, writes, logger);
  return {
    ok: unresolved.length === 0,
    dryRun: Boolean(options.dryRun),
    root,
    vendored,
    rewritten,
    removedHints,
    unresolved,
    written: writes.map((w) => w.path),
  };
}

/** Runs `map` over every URL a project file loads; returns the rewritten text. */
function scan(file: string, text: string, map: UrlMap): { text: string; changed: number } {
  if (/\.html?$/i.test(file)) return rewriteHtml(text, map);
  if (/\.css$/i.test(file)) return rewriteCss(text, map);
  return rewriteJs(text, map);
}

/** An absolute http(s) URL for a reference inside a remote file at `base`; null for data: and other schemes. */
function resolveAgainst(url: string, base: string): string | null {
  if (/^(data|blob|about|javascript):/i.test(url) || url.startsWith('#')) return null;
  try {
    const u = new URL(url.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href.replace(/#.*$/, '') : null;
  } catch {
    return null;
  }
}

/** The URL a module CDN turns a bare import into. */
function bareTarget(ref: NpmCdnRef, manifest: Record<string, unknown>, spec: string): string {
  const segs = spec.split('/');
  const name = spec.startsWith('@') ? segs.slice(0, 2).join('/') : segs[0];
  const sub = spec.slice(name.length);
  const deps = {
    ...(manifest.peerDependencies as Record<string, string> | undefined),
    ...(manifest.dependencies as Record<string, string> | undefined),
  };
  const range = encodeURIComponent(deps[name] ?? 'latest');
  const origin = new URL(abs(ref.url)).origin;
  if (ref.cdn === 'jsdelivr') return `https://cdn.jsdelivr.net/npm/${name}@${range}${sub || '/+esm'}`;
  if (ref.cdn === 'unpkg') return `${origin}/${name}@${range}${sub}?module`;
  return `${origin}/${name}@${range}${sub}`;
}

type H5 = {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: H5[];
  content?: H5;
  sourceCodeLocation?: { startOffset: number; endOffset: number } | null;
};

/** Removes `<link rel="preconnect|dns-prefetch">` elements whose host `drop` says. */
function removeHints(html: string, drop: (host: string) => boolean): { text: string; removed: string[] } {
  const doc = parseHtml(html, { sourceCodeLocationInfo: true }) as unknown as H5;
  const cuts: { start: number; end: number; href: string }[] = [];
  const visit = (n: H5) => {
    if (n.tagName === 'link') {
      const rel = (n.attrs?.find((a) => a.name === 'rel')?.value ?? '').toLowerCase().split(/\s+/);
      const href = n.attrs?.find((a) => a.name === 'href')?.value ?? '';
      if (rel.length && rel.every((r) => r === 'preconnect' || r === 'dns-prefetch') && isRemote(href) && n.sourceCodeLocation) {
        let host = '';
        try {
          host = new URL(abs(href)).host;
        } catch {
          /* not a URL */
        }
        if (host && drop(host)) cuts.push({ start: n.sourceCodeLocation.startOffset, end: n.sourceCodeLocation.endOffset, href });
      }
    }
    for (const c of n.childNodes ?? []) visit(c);
    if (n.content) visit(n.content);
  };
  visit(doc);
  let text = html;
  for (const c of [...cuts].sort((a, b) => b.start - a.start)) {
    // Take the element's whole line when it is alone on it.
    let start = c.start;
    let end = c.end;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = text.indexOf('\n', end);
    if (/^\s*$/.test(text.slice(lineStart, start)) && /^\s*$/.test(text.slice(end, lineEnd < 0 ? text.length : lineEnd)) && lineEnd >= 0) {
      start = lineStart;
      end = lineEnd + 1;
    }
    text = text.slice(0, start) + text.slice(end);
  }
  return { text, removed: cuts.map((c) => c.href) };
}

const WRITE_DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Writes every file or none: each is staged as a temp file beside its target (folders made as
 * needed), then all are renamed into place; if a rename fails, the files already replaced are put
 * back from hard-linked backups and the new ones removed.
 */
async function writeAtomically(root: string, writes: { path: string; bytes: Buffer }[], logger: Logger): Promise<void> {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const made: CreatedDirs[] = [];
  const staged: { target: string; tmp: string; backup: string | null }[] = [];
  const failure = (error: unknown, path: string): FramesmithError => {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (WRITE_DENIED.has(code)) {
      return new FramesmithError(
        'project_read_only',
        `Could not write ${path} in ${root}: the project folder is not writable (${code}). Nothing was changed.`,
        {
          hint: 'Make the folder writable (or vendor a copy of it), then run framesmith vendor again.',
          exitCode: EXIT.usage,
          cause: error,
        },
      );
    }
    return new FramesmithError(
      'vendor_write_failed',
      `Could not write ${path} in ${root}: ${(error as Error).message}. Nothing was changed.`,
      {
        hint: 'Check the disk space and the folder, then run framesmith vendor again.',
        cause: error,
      },
    );
  };
  const undoStage = async () => {
    await Promise.all(staged.map((s) => fs.rm(s.tmp, { force: true })));
    for (const d of made.reverse()) await d.removeIfEmpty();
  };
  try {
    for (const w of writes) {
      const target = join(root, w.path);
      made.push(await makeDirs(dirname(target)));
      const tmp = `${target}.vendor-${tag}.tmp`;
      staged.push({ target, tmp, backup: null });
      await fs.writeFile(tmp, w.bytes);
    }
  } catch (error) {
    const path = writes[staged.length - 1]?.path ?? writes[0].path;
    await undoStage();
    throw failure(error, path);
  }
  const done: typeof staged = [];
  try {
    for (const s of staged) {
      const exists = await fs.stat(s.target).then(
        () => true,
        () => false,
      );
      if (exists) {
        s.backup = `${s.target}.vendor-${tag}.bak`;
        await fs.link(s.target, s.backup);
      }
      await fs.rename(s.tmp, s.target);
      done.push(s);
    }
  } catch (error) {
    // Put back what was replaced, remove what was added.
    for (const s of done.reverse()) {
      if (s.backup) await fs.rename(s.backup, s.target).catch(() => {});
      else await fs.rm(s.target, { force: true }).catch(() => {});
    }
    await undoStage();
    await Promise.all(staged.filter((s) => s.backup).map((s) => fs.rm(s.backup!, { force: true })));
    throw failure(error, staged[done.length]?.target.slice(root.length + 1) ?? '');
  }
  await Promise.all(staged.filter((s) => s.backup).map((s) => fs.rm(s.backup!, { force: true })));
  logger.debug(`vendor: wrote ${writes.length} files`);
}
