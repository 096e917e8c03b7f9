/**
 * Batch rows as people write them: CSV cells are text, to be read by each variable's declared
 * type; and values that name output files must make file names that work everywhere (no spaces,
 * commas, slashes or quotes), while the summary keeps the value as written.
 */
import type { VariableDeclaration } from '../../shared/variables.js';

const TRUE = /^(true|yes|1)$/i;
const FALSE = /^(false|no|0)$/i;

/**
 * A CSV cell as the declared type: numbers for `number`; `true/false`, `yes/no`, `1/0` (any
 * letter case) for `boolean`. Anything else stays text, and the usual check of the value warns.
 */
export function csvCellValue(decl: VariableDeclaration | undefined, cell: string): unknown {
  const text = cell.trim();
  if (decl?.type === 'number' && text !== '' && Number.isFinite(Number(text))) return Number(text);
  if (decl?.type === 'boolean') {
    if (TRUE.test(text)) return true;
    if (FALSE.test(text)) return false;
  }
  return cell;
}

/**
 * A value as part of a file name: accents dropped, runs of anything but letters, digits, `.`, `_`
 * and `-` become one `-`, no leading or trailing `-`/`.`, at most 80 characters; `_` when nothing
 * is left. `Q3 Revenue, $2.4M` → `Q3-Revenue-2.4M`.
 */
export function fileNameSafe(value: unknown): string {
  const text = String(value)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/g, '');
  return text || '_';
}

/**
 * The values a name pattern took from a row that had to change to fit a file name, as written:
 * `headline "Q3 Revenue, $2.4M"`. Empty when every value was used as it is.
 */
export function renamedValues(pattern: string | undefined, row: Record<string, unknown>): string[] {
  if (!pattern) return [];
  const out: string[] = [];
  for (const [, id] of pattern.matchAll(/\{([A-Za-z0-9_-]+)\}/g)) {
    const v = row[id];
    if (v === undefined || v === null || ['index', 'format', 'render_id'].includes(id)) continue;
    if (fileNameSafe(v) !== String(v)) out.push(`${id} ${JSON.stringify(v)}`);
  }
  return [...new Set(out)];
}
