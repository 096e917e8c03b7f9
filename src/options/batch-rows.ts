/**
 * Batch renders: rows of variable values (JSON or CSV), checked against the composition's
 * declarations, and output names from a pattern such as `renders/{headline}.mp4`.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { csvCellValue, fileNameSafe } from './batch-values.js';
import { FramesmithError } from '../core/errors.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { checkValues, type VariableDeclaration, type VariableValues } from '../../shared/variables.js';
import { EXIT } from '../core/exit-codes.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** CSV cells are text: turn them into the declared type where the text is unambiguous. */
const coerceCell = csvCellValue;

/**
 * Reads batch rows: a JSON array of objects (or `{"rows": [...]}`), or a CSV with a header row of
 * variable ids. CSV numbers and booleans are converted by the declarations.
 */
export async function loadBatchRows(file: string, declarations: VariableDeclaration[] = []): Promise<VariableValues[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new FramesmithError('batch_file_missing', `Cannot read the batch file ${file}.`, {
      hint: 'Pass a .json or .csv file of rows.',
      exitCode: EXIT.usage,
    });
  }
  let rows: unknown;
  if (extname(file).toLowerCase() === '.csv') {
    try {
      const byId = new Map(declarations.map((d) => [d.id, d]));
      const records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
      rows = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, coerceCell(byId.get(k), v)])));
    } catch (error) {
      throw new FramesmithError('batch_file_invalid', `${file} is not valid CSV: ${(error as Error).message}`, {
        hint: 'The first line names the variables; each further line is one render.',
        exitCode: EXIT.usage,
      });
    }
  } else {
    try {
      rows = JSON.parse(text);
    } catch (error) {
      throw new FramesmithError('batch_file_invalid', `${file} is not valid JSON: ${(error as Error).message}`, {
        hint: 'Write an array of objects, one per render: [{"headline":"A"},{"headline":"B"}].',
        exitCode: EXIT.usage,
      });
    }
    if (isObject(rows) && Array.isArray(rows.rows)) rows = rows.rows;
  }
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every(isObject)) {
    throw new FramesmithError('batch_file_invalid', `${file} must hold a non-empty list of rows (objects of variable values).`, {
      hint: 'e.g. [{"headline":"A"},{"headline":"B"}]',
      exitCode: EXIT.usage,
    });
  }
  return rows as VariableValues[];
}

/**
 * Checks values against the declarations: problems are warnings, or errors with `strict`.
 * With no declarations (none in the project) nothing is checked.
 */
export function checkRenderVariables(
  declarations: VariableDeclaration[],
  values: VariableValues | undefined,
  strict: boolean,
  label = '--variables',
): Diagnostic[] {
  if (!values || declarations.length === 0) return [];
  return checkValues(declarations, values).map((p) => ({
    severity: strict ? 'error' : 'warning',
    code: p.kind === 'undeclared' ? 'variable_undeclared' : 'variable_invalid',
    message: `${label}: ${p.message}`,
    hint: strict
      ? 'Fix the value, or drop --strict-variables to send it anyway.'
      : 'HeyGen will use the value as given; --strict-variables makes this an error.',
  }));
}

/**
 * Expands `{id}` placeholders of `pattern` with row values (made file-name-safe by fileNameSafe), plus `{index}`
 * (1-based), `{render_id}` (cloud renders only: local batches leave it out) and `{format}`.
 * Unknown placeholders are an error naming them.
 */
export function expandNamePattern(
  pattern: string,
  row: VariableValues,
  extra: { index: number; render_id?: string; format: string },
): string {
  const missing: string[] = [];
  const out = pattern.replace(/\{([A-Za-z0-9_-]+)\}/g, (_, id: string) => {
    const v = id in extra ? (extra as Record<string, unknown>)[id] : row[id];
    if (v === undefined || v === null) {
      missing.push(id);
      return '';
    }
    return fileNameSafe(v);
  });
  if (missing.length) {
    throw new FramesmithError(
      'batch_pattern_invalid',
      `The name pattern "${pattern}" uses {${missing[0]}}, which row ${extra.index} does not have.`,
      {
        hint:
          extra.render_id === undefined
            ? 'Use variable ids present in every row, {index} or {format}.'
            : 'Use variable ids present in every row, or {index} / {render_id}.',
        exitCode: EXIT.usage,
      },
    );
  }
  return out;
}

/** Makes names unique by adding `-2`, `-3` … before the extension. */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const count = (seen.get(n) ?? 0) + 1;
    seen.set(n, count);
    if (count === 1) return n;
    const ext = extname(n);
    return `${n.slice(0, n.length - ext.length)}-${count}${ext}`;
  });
}
