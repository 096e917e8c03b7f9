/**
 * What every lint rule sees: the parsed project (model, HTML and CSS trees), its scripts read as
 * code with their facts, every style sheet (style blocks and .css files) parsed with postcss, and
 * a `report()` that fills in the catalog's severity and hint.
 */
import postcss, { type Root } from 'postcss';
import { descendants, attr, offsetLocation, contentLocation, textOf, type ParsedHtmlFile, type HtmlElement } from '../model/index.js';
import type { ParsedProject } from '../model/index.js';
import type { CompositionModel, ProjectModel } from '../../shared/model.js';
import type { Diagnostic, Severity, SourceLocation } from '../../shared/diagnostics.js';
import { isKnownCode, ruleInfo } from './catalog.js';
import type { FontSummary } from '../fonts/report.js';
import { bracketDepthOver, limits, pointIn, tooDeepMessage } from '../security/budgets.js';
import { collectScripts, tooDeep, type ScriptUnit } from './scripts.js';
import { scriptFacts, type ScriptFacts } from './script-facts.js';

export interface StyleSheet {
  /** File holding the CSS (an HTML file for style blocks). */
  file: string;
  /** HTML file whose composition uses it (for .css files: the first that links it). */
  html: string | null;
  root: Root | null;
  /** Parse error, when the CSS does not parse; `code` when it is a budget's rather than the syntax. */
  error: { message: string; loc: SourceLocation; code?: string } | null;
  /** Where the CSS text starts (style blocks); line 1 col 1 for files. */
  base: SourceLocation;
}

export interface LintContext {
  model: ProjectModel;
  html: Map<string, ParsedHtmlFile>;
  scripts: ScriptUnit[];
  facts: ScriptFacts[];
  styles: StyleSheet[];
  /** Every composition: the entry's and each sub-composition's (once per file). */
  compositions: CompositionModel[];
  /** Elements of every HTML file, templates included. */
  elements(file: ParsedHtmlFile): HtmlElement[];
  /** Location inside a style sheet's file of a postcss node. */
  cssLocation(sheet: StyleSheet, node: { source?: { start?: { line: number; column: number } } }): SourceLocation;
  /** Adds a finding; `raw` accepts a code outside the catalog (a parser diagnostic). */
  report(
    code: string,
    loc: SourceLocation | undefined,
    message: string,
    options?: { hint?: string; severity?: Severity; raw?: boolean },
  ): void;
  readonly diagnostics: Diagnostic[];
  /** Per family, what the cloud draws (set by the font rules). */
  fonts?: FontSummary[];
}

function parseSheet(file: string, html: string | null, css: string, base: SourceLocation): StyleSheet {
  const { depth } = limits();
  const deep = bracketDepthOver(css, depth);
  if (deep)
    return {
      file,
      html,
      root: null,
      error: { code: 'nesting_too_deep', message: tooDeepMessage(`The CSS in ${file}`, depth), loc: pointIn(base, deep) },
      base,
    };
  try {
    return { file, html, root: postcss.parse(css, { from: file }), error: null, base };
  } catch (e) {
    const err = e as { reason?: string; message: string; line?: number; column?: number };
    const loc = err.line ? offsetLocation(base, err.line, err.column ?? 1) : base;
    return { file, html, root: null, error: { message: err.reason ?? err.message, loc }, base };
  }
}

function allCompositions(root: CompositionModel): CompositionModel[] {
  const out: CompositionModel[] = [];
  const seen = new Set<string>();
  const visit = (c: CompositionModel) => {
    const key = `${c.file}#${c.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
    for (const sub of c.subCompositions) if (sub.composition) visit(sub.composition);
  };
  visit(root);
  return out;
}

/** Builds the context for one lint run over a parsed project. */
export function createLintContext(parsed: ParsedProject): LintContext {
  const { model, html } = parsed;
  const files = [...html.values()];
  const elementCache = new Map<string, HtmlElement[]>();
  const elements = (file: ParsedHtmlFile) => {
    let list = elementCache.get(file.file);
    if (!list) elementCache.set(file.file, (list = [...descendants(file.document, { intoTemplates: true })]));
    return list;
  };

  // Media ids and tags, to tell a media lookup in a script from any other element lookup.
  const mediaIds = new Set<string>();
  for (const f of files)
    for (const el of elements(f)) if ((el.tagName === 'video' || el.tagName === 'audio') && attr(el, 'id')) mediaIds.add(attr(el, 'id')!);
  const isMedia = (q: string, byId: boolean) =>
    byId ? mediaIds.has(q) : /(^|[\s>+~,(])(video|audio)\b/i.test(q) || [...q.matchAll(/#([\w-]+)/g)].some((m) => mediaIds.has(m[1]));

  const scripts = collectScripts(model.root, files);
  const facts = scripts.map((u, i) => {
    try {
      return scriptFacts(u, isMedia);
    } catch (error) {
      // The tree walk ran out of stack on deeply nested code: a budget finding, not a crash.
      if (!(error instanceof RangeError)) throw error;
      scripts[i] = { ...u, ast: null, error: tooDeep(u) };
      return scriptFacts(scripts[i], isMedia);
    }
  });

  const styles: StyleSheet[] = [];
  for (const f of files) {
    for (const el of elements(f)) {
      if (el.tagName !== 'style') continue;
      styles.push(parseSheet(f.file, f.file, textOf(el), contentLocation(f, el)));
    }
  }
  for (const sheet of parsed.css.values()) {
    const via = model.assets.find((a) => a.path === sheet.file && a.via === 'attribute');
    styles.push(parseSheet(sheet.file, via?.loc.file ?? null, sheet.source, { file: sheet.file, line: 1, column: 1 }));
  }

  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const ctx: LintContext = {
    model,
    html,
    scripts,
    facts,
    styles,
    compositions: allCompositions(model.composition),
    elements,
    cssLocation: (sheet, node) => offsetLocation(sheet.base, node.source?.start?.line ?? 1, node.source?.start?.column ?? 1),
    report(code, loc, message, options = {}) {
      const info = options.raw && !isKnownCode(code) ? null : ruleInfo(code);
      // One finding per code and place: several rules (or the parser) may see the same thing.
      const key = `${code}|${loc?.file}:${loc?.line}:${loc?.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      diagnostics.push({ code, severity: options.severity ?? info?.severity ?? 'error', message, hint: options.hint ?? info?.hint, loc });
    },
    diagnostics,
  };
  return ctx;
}
