/**
 * Script rules read code, not text: the facts found in small snippets, including the look-alikes
 * that a substring search would get wrong.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHtmlFile } from '../../../src/model/html.js';
import { collectScripts } from '../../../src/lint/scripts.js';
import { scriptFacts } from '../../../src/lint/script-facts.js';

function facts(code: string, module = false) {
  const html = parseHtmlFile(
    'index.html',
    `<!doctype html><html><body>\n<script${module ? ' type="module"' : ''}>\n${code}\n</script></body></html>`,
  );
  const [unit] = collectScripts('/nonexistent', [html]);
  return scriptFacts(unit, (q, byId) => (byId ? q === 'v' : q.includes('video')));
}

describe('script facts', () => {
  it('finds clock and randomness calls, with their line in the HTML file', () => {
    const f = facts('const a = Date.now();\nconst b = new Date();\nconst c = window.performance.now() + Math.random();');
    expect(f.clock.map((c) => [c.kind, c.loc.line])).toEqual([
      ['Date.now()', 3],
      ['new Date()', 4],
      ['performance.now()', 5],
      ['Math.random()', 5],
    ]);
  });

  it('ignores comments, strings and dated constructors', () => {
    const f = facts(
      '// Date.now() Math.random() requestAnimationFrame(x)\nconst s = "performance.now()";\nconst d = new Date(2020, 0, 1);\nconst r = myRandom.random;',
    );
    expect(f.clock).toEqual([]);
    expect(f.raf).toEqual([]);
  });

  it('reads timeline registrations, including object literals and computed keys', () => {
    const f = facts('window.__timelines = { intro: a };\nwindow["__timelines"]["main"] = b;\n__timelines[id] = c;');
    expect(f.registrations.map((r) => r.key)).toEqual(['intro', 'main', null]);
    expect(f.touchesRegistry).toBe(true);
  });

  it('tells media control from timeline control', () => {
    const f = facts(
      'const v = document.getElementById("v");\nv.play();\ntl.pause();\ndocument.querySelector("#root video").currentTime = 2;\ndocument.getElementById("title").play?.();',
    );
    expect(f.mediaControl.map((m) => [m.what, m.target])).toEqual([
      ['play()', '#v'],
      ['currentTime =', '#root video'],
    ]);
  });

  it('finds infinite repeats as an option or a method call, not a count', () => {
    const f = facts('gsap.to(x, { repeat: -1 });\ntl.repeat(-1);\ngsap.to(y, { repeat: 2, yoyo: true });');
    expect(f.infiniteRepeats).toHaveLength(2);
  });

  it('engine globals: assignments and top-level classic declarations, not reads or locals', () => {
    const f = facts(
      'window.__renderReady = true;\nvar __hf = {};\nfunction f() { var __player = 1; }\nconst vars = window.__hyperframes.getVariables();',
    );
    expect(f.engineGlobals.map((g) => g.name)).toEqual(['__renderReady', '__hf']);
    expect(facts('const __hf = 1;', true).engineGlobals).toEqual([]);
  });

  it('a module that imports gsap does not use the global', () => {
    expect(facts('import { gsap } from "gsap";\ngsap.timeline();', true).usesGsapGlobal).toBe(false);
    expect(facts('gsap.timeline();').usesGsapGlobal).toBe(true);
  });

  it('a syntax error has the location in the HTML file', () => {
    const html = parseHtmlFile('index.html', '<!doctype html><html><body>\n<script>\nconst ok = 1;\n  const = 2;\n</script></body></html>');
    const [unit] = collectScripts('/nonexistent', [html]);
    expect(unit.error).toMatchObject({ loc: { file: 'index.html', line: 4, column: 9 } });
  });

  it('follows the ./, ../ and / imports of a module into the project, not bare or remote ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'framesmith-scripts-'));
    try {
      mkdirSync(join(root, 'src', 'lib'), { recursive: true });
      writeFileSync(
        join(root, 'src', 'main.js'),
        "import './lib/a.js';\nimport '../shared.js';\nimport '/src/lib/b.js';\nimport 'gsap';\nimport 'https://example.org/x.js';\n",
      );
      for (const f of ['src/lib/a.js', 'shared.js', 'src/lib/b.js']) writeFileSync(join(root, f), 'export const x = 1;\n');
      const html = parseHtmlFile(
        'index.html',
        '<!doctype html><html><body><script type="module" src="src/main.js"></script></body></html>',
      );
      expect(
        collectScripts(root, [html])
          .map((u) => u.file)
          .sort(),
      ).toEqual(['shared.js', 'src/lib/a.js', 'src/lib/b.js', 'src/main.js']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
