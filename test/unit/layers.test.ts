/**
 * The layout says what runs where, and the imports keep to it: the browser bundles (runtime/, the
 * composition runtime; preview/, the preview page) and the Node code (src/) meet only in shared/;
 * the two bundles import nothing of each other; inside src/ no folder imports a folder
 * of a higher layer (commands sit on top, core at the bottom); local rendering does not depend on
 * the cloud client; and no module imports itself back through others (value imports).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');

/** src/ folders (and shared/, beside src/) by layer, lowest first; a folder may import its own layer and the ones below. */
const LAYERS: string[][] = [
  ['core', 'shared'],
  ['options', 'model', 'security'],
  ['remote', 'fonts', 'lint', 'serve', 'browser'],
  ['build', 'snapshot', 'render', 'cloud', 'dev', 'vendor', 'scaffold'],
  ['commands'],
  ['cli.ts', 'index.ts'],
];
/** Folders that must not import the cloud client, even on the same layer (dev may: its render panel sends cloud renders). */
const LOCAL = ['build', 'snapshot', 'render', 'vendor', 'scaffold', 'lint', 'remote'];

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (/\.ts$/.test(e.name) && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of ['src', 'shared', 'runtime', 'preview'].flatMap((d) => files(join(REPO, d)))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/gm,
    )) {
      const spec = m[3] ?? m[4];
      let to = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (!existsSync(to) && existsSync(`${to}.ts`)) to = `${to}.ts`;
      if (!existsSync(to) && existsSync(join(to, 'index.ts'))) to = join(to, 'index.ts');
      out.push({ from: relative(REPO, file), to: relative(REPO, to), typeOnly: Boolean(m[2]) });
    }
  }
  return out;
}

const folderOf = (path: string) => (path.startsWith('src/') ? path.split('/')[1] : path.split('/')[0]);
const layerOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

describe('the layout', () => {
  const all = edges();

  it('reads the imports (the scan works)', () => {
    expect(all.length).toBeGreaterThan(300);
    for (const side of ['src/', 'runtime/', 'preview/'])
      expect(all.some((e) => e.from.startsWith(side) && e.to.startsWith('shared/'))).toBe(true);
  });

  it('every src/ folder has a layer', () => {
    const folders = readdirSync(join(REPO, 'src'));
    expect(folders.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('browser code and Node code meet only in shared/, which imports nothing else; runtime/ and preview/ stay apart', () => {
    const own = (e: Edge, dir: string) => e.from.startsWith(dir) && !e.to.startsWith(dir);
    const bad = all.filter(
      (e) =>
        (own(e, 'runtime/') && !e.to.startsWith('shared/')) ||
        (own(e, 'preview/') && !e.to.startsWith('shared/')) ||
        own(e, 'shared/') ||
        (e.from.startsWith('src/') && (e.to.startsWith('runtime/') || e.to.startsWith('preview/'))),
    );
    expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('no src/ folder imports a higher layer', () => {
    const bad = all.filter(
      (e) => e.from.startsWith('src/') && e.to.startsWith('src/') && layerOf(folderOf(e.to)) > layerOf(folderOf(e.from)),
    );
    expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('local rendering, building and linting do not depend on the cloud client', () => {
    const bad = all.filter(
      (e) => e.from.startsWith('src/') && LOCAL.includes(folderOf(e.from)) && folderOf(e.to) === 'cloud' && e.to.startsWith('src/'),
    );
    expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('no import cycles (value imports)', () => {
    const graph = new Map<string, string[]>();
    for (const e of all) if (!e.typeOnly) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (n: string) => {
      state.set(n, 'open');
      stack.push(n);
      for (const m of graph.get(n) ?? []) {
        if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m].join(' -> '));
        else if (!state.has(m)) visit(m);
      }
      stack.pop();
      state.set(n, 'done');
    };
    for (const n of graph.keys()) if (!state.has(n)) visit(n);
    expect(cycles).toEqual([]);
  });
});
