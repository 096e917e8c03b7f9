/**
 * How lint results are printed: for people, findings grouped by file with ✗/⚠, the code, the
 * message and a `Fix:` line, then a count; for machines (`--json`), one object with every finding
 * (the shape follows the official `hyperframes lint --json`, plus framesmith's own fields).
 */
import { basename, join } from 'node:path';
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { LintResult } from './lint-project.js';

export interface LintFinding {
  file: string | null;
  line: number | null;
  column: number | null;
  code: string;
  severity: Diagnostic['severity'];
  message: string;
  fixHint: string | null;
}

export interface LintJson {
  ok: boolean;
  root: string;
  entry: string;
  errorCount: number;
  warningCount: number;
  infoCount: number;
  findings: LintFinding[];
  filesScanned: number;
  files: string[];
  ms: number;
  /** Per font family: what HeyGen's cloud draws it with (`local`: framesmith draws the same). */
  fonts: { family: string; status: string; cloud: string; local: boolean; fallback?: string }[];
}

/** The `--json` object. Info findings are included only with `verbose`. */
export function lintJson(result: LintResult, verbose = false): LintJson {
  return {
    ok: result.ok,
    root: result.root,
    entry: result.entry,
    errorCount: result.errorCount,
    warningCount: result.warningCount,
    infoCount: result.infoCount,
    findings: result.diagnostics
      .filter((d) => verbose || d.severity !== 'info')
      .map((d) => ({
        file: d.loc?.file ?? null,
        line: d.loc?.line || null,
        column: d.loc?.column || null,
        code: d.code,
        severity: d.severity,
        message: d.message,
        fixHint: d.hint ?? null,
      })),
    filesScanned: result.files.length,
    files: result.files,
    ms: Math.round(result.ms),
    fonts: result.fonts,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Counts line: `2 errors, 1 warning`. */
export function lintCounts(result: Pick<LintResult, 'errorCount' | 'warningCount'>): string {
  return `${plural(result.errorCount, 'error')}, ${plural(result.warningCount, 'warning')}`;
}

/**
 * The human report. `only` limits it to errors (`--quiet`); `color` adds ANSI colours.
 * `dirLabel` is how the project folder is named in the heading (as the user typed it).
 */
export function formatLintReport(
  result: LintResult,
  options: { dirLabel?: string; only?: 'error'; verbose?: boolean; color?: boolean } = {},
): string {
  const paint = (code: number, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const scope = result.files.length === 1 ? result.files[0] : `${result.files.length} files`;
  const lines = [`◆  Linting ${join(options.dirLabel ?? basename(result.root), scope)}`];
  const shown = result.diagnostics.filter((d) => (options.only ? d.severity === 'error' : options.verbose || d.severity !== 'info'));
  let lastFile: string | null | undefined;
  for (const d of shown) {
    const file = d.loc?.file ?? null;
    if (file !== lastFile) {
      lines.push('', paint(1, file ?? '(project)'));
      lastFile = file;
    }
    const mark = d.severity === 'error' ? paint(31, '✗') : d.severity === 'warning' ? paint(33, '⚠') : paint(36, 'ℹ');
    const where = d.loc && d.loc.line > 0 ? `${d.loc.line}:${d.loc.column} ` : '';
    lines.push(`  ${mark} ${paint(90, where)}${paint(1, d.code)}: ${d.message}`);
    if (d.hint) lines.push(`    ${paint(90, 'Fix:')} ${d.hint}`);
  }
  if (result.fonts.length && options.only !== 'error') {
    lines.push('', paint(1, "Fonts, as HeyGen's cloud draws them"));
    const width = Math.min(28, Math.max(...result.fonts.map((f) => f.family.length)));
    for (const f of result.fonts) {
      const mark = f.status === 'unresolved' || !f.local ? paint(33, '⚠') : paint(32, '✓');
      lines.push(`  ${mark} ${f.family.padEnd(width)}  ${f.cloud}`);
    }
  }
  lines.push('', `◇  ${lintCounts(result)}`);
  return lines.join('\n');
}
