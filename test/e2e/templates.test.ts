// Every template created at every aspect with the real CLI, then checked as a user's project:
// files, sizes, the composition contract's static parts, no network references, variables of
// several types documented in the README, and (when the official engine is installed on this
// machine) its lint with 0 errors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['node'];

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'framesmith.js');
const SIZES = { '16:9': [1920, 1080], '9:16': [1080, 1920], '1:1': [1080, 1080] } as const;
const OFFICIAL = join(REPO, '..', 'shared', 'tools', 'hyperframes-official');
// Only when it is already installed: a test run must never download the official engine.
const officialReady =
  existsSync(OFFICIAL) && existsSync(join(homedir(), '.cache', 'framesmith-oracle', 'node_modules', '.bin', 'hyperframes'));

const templates = readdirSync(join(REPO, 'templates')).filter((n) => existsSync(join(REPO, 'templates', n, 'template.json')));
const manifest = (name: string) => JSON.parse(readFileSync(join(REPO, 'templates', name, 'template.json'), 'utf8'));
const base = mkdtempSync(join(tmpdir(), 'framesmith-templates-'));

function* elements(node: Node): Generator<Element> {
  if ('tagName' in node) {
    yield node;
    if (node.tagName === 'template') yield* elements((node as DefaultTreeAdapterMap['template']).content as unknown as Node);
  }
  if ('childNodes' in node) for (const c of node.childNodes) yield* elements(c);
}
const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
const text = (el: Element) => el.childNodes.map((c) => ('value' in c ? c.value : '')).join('');

function htmlFiles(dir: string): string[] {
  const out = ['index.html'];
  const comps = join(dir, 'compositions');
  if (existsSync(comps))
    out.push(
      ...readdirSync(comps)
        .filter((f) => f.endsWith('.html'))
        .map((f) => `compositions/${f}`),
    );
  return out;
}

/** Every way a file could reach the network: src/href/srcset URLs, CSS @import/url(), fetch. */
function networkReferences(html: string): string[] {
  const found: string[] = [];
  const remote = /^\s*(https?:)?\/\//i;
  for (const el of elements(parse(html))) {
    for (const name of ['src', 'href', 'srcset', 'poster', 'data']) {
      const v = attr(el, name);
      if (v && remote.test(v)) found.push(`${el.tagName} ${name}=${v}`);
    }
    const css = el.tagName === 'style' ? text(el) : (attr(el, 'style') ?? '');
    for (const m of css.matchAll(/@import\s+(?:url\()?\s*["']?([^"')\s;]+)|url\(\s*["']?([^"')]+)/gi)) {
      const url = m[1] ?? m[2];
      if (m[1] !== undefined || remote.test(url)) found.push(`css ${url}`);
    }
    if (el.tagName === 'script' && /\bfetch\s*\(|XMLHttpRequest|\bimport\s*\(/.test(text(el))) found.push('script network call');
  }
  return found;
}

describe.each(templates)('template %s', (name) => {
  const m = manifest(name);

  it('has a manifest that agrees with its index.html', () => {
    expect(m).toMatchObject({ name, aspects: ['16:9', '9:16', '1:1'] });
    const html = readFileSync(join(REPO, 'templates', name, 'index.html'), 'utf8');
    expect(html).toContain(`data-duration="${m.duration}"`);
    const [w, h] = SIZES[m.aspect as keyof typeof SIZES];
    expect(html).toContain(`data-width="${w}" data-height="${h}"`);
  });

  it.each(Object.keys(SIZES))('is created at %s as a self-contained project', (aspect) => {
    const dir = join(base, `${name}-${aspect.replace(':', 'x')}`);
    const r = spawnSync(process.execPath, [BIN, 'new', dir, '--template', name, '--aspect', aspect, '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [w, h] = SIZES[aspect as keyof typeof SIZES];
    expect(JSON.parse(r.stdout)).toMatchObject({ width: w, height: h });

    for (const f of ['README.md', 'package.json', 'vendor/gsap.min.js', 'vendor/GSAP-LICENSE.txt'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    for (const font of m.fonts)
      expect(
        readdirSync(join(dir, 'fonts')).some((f: string) => f.startsWith(font)),
        font,
      ).toBe(true);

    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(index.trimStart().toLowerCase().startsWith('<!doctype html>')).toBe(true);
    // Chromium decodes bytes before a late <meta charset> with the wrong encoding.
    expect(index.slice(0, index.indexOf('<meta charset')), 'non-ASCII before <meta charset>').toMatch(/^[\x00-\x7f]*$/);
    const doc = parse(index);
    const html = [...elements(doc)].find((e) => e.tagName === 'html')!;
    expect(attr(html, 'dir')).toBeUndefined();
    const declared = JSON.parse(attr(html, 'data-composition-variables') ?? '[]') as Array<Record<string, unknown>>;
    const types = new Set(declared.map((v) => v.type));
    expect(types.size, `types: ${[...types].join(', ')}`).toBeGreaterThanOrEqual(3);
    const jsType: Record<string, string> = {
      string: 'string',
      color: 'string',
      font: 'string',
      image: 'string',
      enum: 'string',
      number: 'number',
      boolean: 'boolean',
    };
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const v of declared) {
      expect(typeof v.label).toBe('string');
      expect(typeof v.default, String(v.id)).toBe(jsType[v.type as string]);
      expect(readme, `README names ${v.id}`).toContain(`\`${v.id}\``);
    }

    const root = [...elements(doc)].find((e) => attr(e, 'data-composition-id') !== undefined && attr(e, 'data-width') !== undefined)!;
    const id = attr(root, 'data-composition-id')!;
    expect([
      attr(root, 'data-width'),
      attr(root, 'data-height'),
      attr(root, 'data-start'),
      attr(root, 'data-duration'),
      attr(root, 'data-fps'),
    ]).toEqual([String(w), String(h), '0', String(m.duration), '30']);
    const scripts = [...elements(doc)].filter((e) => e.tagName === 'script');
    expect(scripts.map((s) => attr(s, 'src')).filter(Boolean)).toEqual(['vendor/gsap.min.js']);
    const inline = scripts.map(text).join('\n');
    expect(inline).toContain(`window.__timelines["${id}"] = tl`);
    expect(inline).toMatch(/paused: true/);
    expect(inline).not.toMatch(/repeat:\s*-1|Date\.now|performance\.now|Math\.random|requestAnimationFrame/);

    for (const file of htmlFiles(dir)) {
      const source = readFileSync(join(dir, file), 'utf8');
      expect(networkReferences(source), file).toEqual([]);
      for (const el of elements(parse(source))) {
        if (attr(el, 'data-composition-id') !== undefined && attr(el, 'data-width') !== undefined) {
          expect([attr(el, 'data-width'), attr(el, 'data-height')], `${file} #${attr(el, 'id')}`).toEqual([String(w), String(h)]);
        }
        for (const ref of [attr(el, 'src'), attr(el, 'data-composition-src')]) {
          if (ref && !ref.startsWith('data:')) expect(existsSync(join(dir, ref)), `${file} → ${ref}`).toBe(true);
        }
      }
    }

    if (officialReady) {
      const lint = spawnSync(OFFICIAL, ['lint', dir], { encoding: 'utf8' });
      expect(lint.stdout + lint.stderr).toMatch(/◇\s+0 error/);
    }
  });
});
