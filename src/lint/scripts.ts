/**
 * The project's JavaScript, read as code: every inline `<script>` of the entry and its
 * sub-composition files, the local script files they load, and the local modules those import.
 * Each is parsed with acorn (locations on), so rules look at calls and assignments rather than at
 * text: a `Math.random()` in a comment or a string is not code and does not count.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, join, posix } from 'node:path';
import { parse, type Program } from 'acorn';
import { climbsOut } from '../core/inside.js';
import { attr, contentLocation, descendants, nodeLocation, textOf, type ParsedHtmlFile } from '../model/index.js';
import type { SourceLocation } from '../../shared/diagnostics.js';
import { bracketDepthOver, byteLimitFor, DEPTH_HINT, SCRIPT_DEPTH, SIZE_HINT, tooLargeMessage } from '../security/budgets.js';
import { checkProjectPathSync } from '../security/file-policy.js';

export interface ScriptUnit {
  /** HTML file whose composition runs this code. */
  html: string;
  /** File holding the code: the HTML file for inline scripts, else the script file. */
  file: string;
  inline: boolean;
  module: boolean;
  source: string;
  /** Where the code starts in `file` (1-based). */
  base: SourceLocation;
  /** Null when the code could not be parsed (see `error`) or is not JavaScript (TypeScript). */
  ast: Program | null;
  /** Why the code was not read; `code` when it is a budget's or the file policy's rather than the syntax. */
  error: { message: string; loc: SourceLocation; code?: string; hint?: string } | null;
  /** True for TypeScript/JSX sources that acorn cannot read (their facts are unknown). */
  foreign: boolean;
  /** A vendored library (vendor/, lib/, *.min.js): not the author's code, not parsed or checked. */
  library: boolean;
}

/** Vendored third-party code: the contract rules are about the author's own scripts. */
export function isLibraryPath(rel: string): boolean {
  return /(^|\/)(vendor|vendors|lib|libs|third[-_]party|node_modules)\//i.test(rel) || /[.-]min\.m?js$/i.test(rel);
}

const JS_TYPES = new Set(['', 'text/javascript', 'application/javascript', 'module', 'text/ecmascript', 'application/ecmascript']);
const FOREIGN_EXT = new Set(['.ts', '.tsx', '.mts', '.cts', '.jsx']);

/** Maps an acorn position (1-based line, 0-based column) inside a unit to its file. */
export function unitLocation(unit: Pick<ScriptUnit, 'base'>, pos: { line: number; column: number } | undefined): SourceLocation {
  if (!pos) return unit.base;
  return {
    file: unit.base.file,
    line: unit.base.line + pos.line - 1,
    column: pos.line === 1 ? unit.base.column + pos.column : pos.column + 1,
  };
}

/** Code nested so deep that the parser ran out of stack: a budget error, not a crash. */
export function tooDeep(unit: Pick<ScriptUnit, 'file' | 'inline' | 'base'>): NonNullable<ScriptUnit['error']> {
  const what = unit.inline ? `An inline <script> in ${unit.file}` : unit.file;
  return {
    code: 'nesting_too_deep',
    message: `${what} nests its code deeper than ${SCRIPT_DEPTH} brackets, framesmith's limit for scripts; it was not checked.`,
    loc: unit.base,
    hint: DEPTH_HINT,
  };
}

function parseUnit(unit: Omit<ScriptUnit, 'ast' | 'error'>): ScriptUnit {
  if (unit.foreign || unit.library) return { ...unit, ast: null, error: null };
  // Measured before acorn: its recursion on deep nesting can abort the process, not just throw.
  const deep = bracketDepthOver(unit.source, SCRIPT_DEPTH, { js: true });
  if (deep)
    return { ...unit, ast: null, error: { ...tooDeep(unit), loc: unitLocation(unit, { line: deep.line, column: deep.column - 1 }) } };
  try {
    const ast = parse(unit.source, {
      ecmaVersion: 'latest',
      sourceType: unit.module ? 'module' : 'script',
      locations: true,
      allowHashBang: true,
    });
    return { ...unit, ast, error: null };
  } catch (e) {
    if (e instanceof RangeError || /stack space|call stack/i.test((e as Error).message))
      return { ...unit, ast: null, error: tooDeep(unit) };
    const err = e as SyntaxError & { loc?: { line: number; column: number } };
    const message = err.message.replace(/\s*\(\d+:\d+\)$/, '');
    return { ...unit, ast: null, error: { message, loc: unitLocation(unit, err.loc) } };
  }
}

/** Relative import specifiers of a parsed module (static imports and re-exports). */
function relativeImports(ast: Program): string[] {
  const out: string[] = [];
  for (const node of ast.body) {
    if (
      (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') &&
      node.source
    ) {
      const spec = String(node.source.value);
      if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/')) out.push(spec);
    }
  }
  return out;
}

/**
 * Reads every script of the given HTML files. `root` is the project folder; script `src` paths
 * resolve from the project root (the contract), module imports from the importing file.
 */
export function collectScripts(root: string, htmlFiles: ParsedHtmlFile[]): ScriptUnit[] {
  const units: ScriptUnit[] = [];
  const seenFiles = new Set<string>();
  let realRoot = root;
  try {
    realRoot = realpathSync(root);
  } catch {
    /* the model already read the folder */
  }
  const addFile = (html: string, rel: string, module: boolean) => {
    const key = `${html}|${rel}`;
    if (seenFiles.has(key)) return;
    seenFiles.add(key);
    const abs = join(root, rel);
    if (!existsSync(abs)) return; // the asset rules report missing files
    // The asset rules report a refused file where it is referenced; its bytes are never read.
    if (!checkProjectPathSync(realRoot, rel).ok) return;
    const foreign = FOREIGN_EXT.has(extname(rel).toLowerCase());
    const base = { file: rel, line: 1, column: 1 };
    const library = isLibraryPath(rel);
    const size = statSync(abs).size;
    const limit = byteLimitFor(rel);
    if (size > limit && !library) {
      units.push({
        html,
        file: rel,
        inline: false,
        module,
        source: '',
        base,
        foreign,
        library,
        ast: null,
        error: { code: 'file_too_large', message: tooLargeMessage(rel, size, limit), loc: base, hint: SIZE_HINT },
      });
      return;
    }
    const unit = parseUnit({
      html,
      file: rel,
      inline: false,
      module,
      source: library ? '' : readFileSync(abs, 'utf8'),
      base,
      foreign,
      library,
    });
    units.push(unit);
    if (unit.ast && module) {
      for (const spec of relativeImports(unit.ast)) {
        const target = spec.startsWith('/') ? spec.slice(1) : posix.normalize(posix.join(posix.dirname(rel), spec));
        if (!climbsOut(target)) addFile(html, target, true);
      }
    }
  };
  for (const file of htmlFiles) {
    for (const el of descendants(file.document, { intoTemplates: true })) {
      if (el.tagName !== 'script') continue;
      const type = (attr(el, 'type') ?? '').trim().toLowerCase();
      if (!JS_TYPES.has(type)) continue;
      const module = type === 'module';
      const src = attr(el, 'src');
      if (src !== null) {
        if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(src.trim())) continue; // remote or data: scripts are not ours to read
        const rel = posix.normalize(src.trim().split(/[?#]/)[0].replace(/^\/+/, ''));
        if (!climbsOut(rel)) addFile(file.file, rel, module);
        continue;
      }
      const source = textOf(el);
      if (!source.trim()) continue;
      const base = el.sourceCodeLocation?.startTag ? contentLocation(file, el) : nodeLocation(file, el);
      units.push(parseUnit({ html: file.file, file: file.file, inline: true, module, source, base, foreign: false, library: false }));
    }
  }
  return units;
}
