/**
 * Decides whether a project needs a bundler: an HTML file with a `<script type="module">` whose
 * code (or anything it imports through relative paths) is TypeScript or imports an npm package
 * cannot run from a plain static folder, so Vite must build it. Classic scripts and modules that
 * only import relative `.js` files run as they are and are copied untouched.
 */
import { promises as fs } from 'node:fs';
import { dirname, extname, join, posix } from 'node:path';
import { parse as parseJs } from 'acorn';
import { parse as parseHtml } from 'parse5';
import { bracketDepthOver, countStartTags, limits, SCRIPT_DEPTH } from '../security/budgets.js';

type HtmlNode = {
  nodeName: string;
  attrs?: { name: string; value: string }[];
  childNodes?: HtmlNode[];
  content?: HtmlNode;
  value?: string;
};

const TS_EXT = new Set(['.ts', '.tsx', '.mts', '.cts', '.jsx']);

export interface ModuleNeed {
  /** Project-relative HTML file. */
  html: string;
  /** Why it needs a build, e.g. `imports "gsap"` or `loads src/main.ts`. */
  reason: string;
}

/** The module scripts of a parsed document, in document order (an explicit stack: markup may nest deep). */
function moduleScripts(root: HtmlNode): { src: string | null; code: string }[] {
  const out: { src: string | null; code: string }[] = [];
  const stack: HtmlNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeName === 'script') {
      const attr = (n: string) => node.attrs?.find((a) => a.name === n)?.value;
      if ((attr('type') ?? '').trim().toLowerCase() === 'module') {
        const code = (node.childNodes ?? []).map((c) => c.value ?? '').join('');
        out.push({ src: attr('src') ?? null, code });
      }
    }
    const kids = [...(node.childNodes ?? []), ...(node.content ? [node.content] : [])];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out;
}

const isBare = (spec: string) => !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(spec);

/** Import specifiers of a module's code; null when it does not parse as JavaScript. */
function importsOf(code: string): string[] | null {
  // Too deep for acorn to parse safely: lint reports it; here it can only mean "needs a bundler".
  if (bracketDepthOver(code, SCRIPT_DEPTH, { js: true })) return null;
  let ast;
  try {
    ast = parseJs(code, { ecmaVersion: 'latest', sourceType: 'module' });
  } catch {
    return null;
  }
  const specs: string[] = [];
  for (const node of ast.body) {
    if (
      (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') &&
      node.source
    ) {
      specs.push(String(node.source.value));
    }
  }
  // Dynamic import() of a package also needs resolving; a regex over parsed code would see strings too.
  for (const m of code.matchAll(/\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g)) specs.push(m[2]);
  return specs;
}

/** Why a module (file or inline code) needs bundling, or null when it runs as it is. */
async function moduleNeed(root: string, fromDir: string, code: string, seen: Set<string>): Promise<string | null> {
  const specs = importsOf(code);
  if (specs === null) return 'has code that is not plain JavaScript';
  for (const spec of specs) {
    if (isBare(spec)) return `imports "${spec}"`;
    if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) continue; // https: imports are the network rule's business
    const path = spec.startsWith('/') ? join(root, spec) : join(fromDir, spec);
    if (TS_EXT.has(extname(path))) return `imports ${spec}`;
    if (seen.has(path)) continue;
    seen.add(path);
    const text = await fs.readFile(path, 'utf8').catch(() => null);
    if (text === null) continue; // a missing file is reported by lint and the browser check
    const inner = await moduleNeed(root, dirname(path), text, seen);
    if (inner) return inner;
  }
  return null;
}

/** The HTML files (project-relative) whose module scripts need a bundler, with the reason. */
export async function findModuleNeeds(root: string, htmlFiles: string[]): Promise<ModuleNeed[]> {
  const needs: ModuleNeed[] = [];
  for (const html of htmlFiles) {
    const source = await fs.readFile(join(root, html), 'utf8');
    if (!/type\s*=\s*["']?module/i.test(source)) continue;
    // Over the budget: lint refuses the file; here it is not parsed at all.
    if (countStartTags(source) > limits().htmlElements) continue;
    const fromDir = join(root, posix.dirname(html));
    const seen = new Set<string>();
    for (const script of moduleScripts(parseHtml(source) as unknown as HtmlNode)) {
      let reason: string | null;
      if (script.src) {
        if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(script.src)) continue;
        const path = script.src.startsWith('/') ? join(root, script.src) : join(fromDir, script.src);
        if (TS_EXT.has(extname(path))) reason = `loads ${script.src}`;
        else {
          const text = await fs.readFile(path, 'utf8').catch(() => null);
          reason = text === null ? null : await moduleNeed(root, dirname(path), text, seen);
        }
      } else reason = await moduleNeed(root, fromDir, script.code, seen);
      if (reason) {
        needs.push({ html, reason });
        break;
      }
    }
  }
  return needs;
}
