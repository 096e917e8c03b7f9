/**
 * The dataset of the preview's dataset view: rows of variable values from a CSV or JSON file of
 * the project, a file dropped on the page, or `framesmith dev --data rows.csv`. The rows are read
 * by `loadBatchRows()` and checked by `checkValues()`, exactly as `framesmith render --batch`
 * reads and checks them (CSV cells typed by the declarations, a BOM, CRLF and quoted commas or
 * newlines as CSV allows them). Files over DATASET_MAX_BYTES are refused with the limit. A file
 * of the project is read again when it changes; the rows are checked again when the
 * composition's declarations change.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { FramesmithError, isFramesmithError } from '../core/errors.js';
import type { ProblemData } from '../../shared/diagnostics.js';
import {
  DATASET_AUTO_CHECK_ROWS,
  DATASET_MAX_BYTES,
  type DatasetRow,
  type DatasetView,
  type RowFlag,
} from '../../shared/studio-protocol.js';
import { checkValues, type VariableDeclaration, type VariableValues } from '../../shared/variables.js';
import { resolveProjectPath } from '../serve/safe-path.js';
import { isIgnoredRelative } from './watch-filter.js';
import { EXIT } from '../core/exit-codes.js';

export type DatasetSource =
  { kind: 'project'; rel: string } | { kind: 'cli'; path: string } | { kind: 'dropped'; name: string; text: string };

export interface LoadedRows {
  rows: VariableValues[];
  columns: string[];
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** The error for a file over the limit. */
export function tooLarge(name: string, bytes: number): FramesmithError {
  return new FramesmithError(
    'dataset_too_large',
    `${name} is ${mb(bytes)}; the dataset view reads files of at most ${mb(DATASET_MAX_BYTES)}.`,
    {
      hint: 'Split the rows into smaller files, or render them from the terminal: framesmith render --batch <file>.',
      exitCode: EXIT.usage,
    },
  );
}

/** Only .csv and .json are rows (as `--batch` takes them). */
export function checkDatasetName(name: string): void {
  const ext = extname(name).toLowerCase();
  if (ext !== '.csv' && ext !== '.json') {
    throw new FramesmithError('dataset_type', `${name} is not a .csv or .json file.`, {
      hint: 'Use a CSV with a header row of variable ids, or a JSON array of objects (as framesmith render --batch takes).',
      exitCode: EXIT.usage,
    });
  }
}

/** Column names in first-seen order. */
function columnsOf(rows: VariableValues[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/**
 * Reads the rows of `source` as `--batch` does (loadBatchRows). A dropped file is written to a
 * private temp folder under its own name first, so the same reader (and its messages) apply.
 */
export async function readRows(root: string, source: DatasetSource, declarations: VariableDeclaration[]): Promise<LoadedRows> {
  const { loadBatchRows } = await import('../options/batch-rows.js');
  if (source.kind === 'dropped') {
    checkDatasetName(source.name);
    const dir = await fs.mkdtemp(join(tmpdir(), 'framesmith-dataset-'));
    const file = join(dir, basename(source.name));
    try {
      await fs.writeFile(file, source.text);
      const rows = await loadBatchRows(file, declarations).catch((error: unknown) => {
        if (isFramesmithError(error))
          throw FramesmithError.passOn(error.code, error.message.split(file).join(source.name), {
            hint: error.hint,
            exitCode: error.exitCode,
          });
        throw error;
      });
      return { rows, columns: columnsOf(rows) };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  const path = source.kind === 'project' ? join(root, source.rel) : source.path;
  const name = source.kind === 'project' ? source.rel : source.path;
  checkDatasetName(name);
  const stat = await fs.stat(path).catch(() => null);
  if (!stat?.isFile())
    throw new FramesmithError('batch_file_missing', `Cannot read the batch file ${name}.`, {
      hint: 'Pass a .json or .csv file of rows.',
      exitCode: EXIT.usage,
    });
  if (stat.size > DATASET_MAX_BYTES) throw tooLarge(name, stat.size);
  const rows = await loadBatchRows(path, declarations);
  return { rows, columns: columnsOf(rows) };
}

/** Value problems of one row: the CLI's checks, each with its column. */
export function rowFlags(declarations: VariableDeclaration[], values: VariableValues): RowFlag[] {
  if (!declarations.length) return [];
  return checkValues(declarations, values)
    .filter((p) => p.kind === 'invalid')
    .map((p) => ({ kind: 'invalid' as const, column: p.id, message: p.message, severity: 'error' as const }));
}

/** Builds the view of `rows` against the declarations. */
export function datasetView(
  source: DatasetView['source'],
  composition: string,
  declarations: VariableDeclaration[],
  loaded: LoadedRows | null,
  error: ProblemData | null,
  generation: number,
  checked: (values: VariableValues) => RowFlag[] | null,
): DatasetView {
  const rows: DatasetRow[] = (loaded?.rows ?? []).map((values, i) => ({
    index: i + 1,
    values,
    flags: rowFlags(declarations, values),
    checked: checked(values),
  }));
  const declared = new Map(declarations.map((d) => [d.id, d]));
  const columns = loaded?.columns ?? [];
  const columnInfo = columns.map((id) => {
    const d = declared.get(id);
    if (d) return { id, declared: true, type: d.type };
    const [problem] = checkValues(declarations, { [id]: '' });
    return {
      id,
      declared: false,
      message: declarations.length
        ? `${problem?.message ?? `"${id}" is not a declared variable`}; the renders ignore this column.`
        : 'The composition declares no variables; the renders ignore this column.',
    };
  });
  const missing = loaded
    ? declarations
        .filter((d) => !columns.includes(d.id))
        .map((d) => ({
          id: d.id,
          default: d.default,
          message: `No column "${d.id}" (${d.label}): every row gets its default ${JSON.stringify(d.default)}.`,
        }))
    : [];
  return { source, composition, columns, columnInfo, missing, rows, error, generation, autoCheck: rows.length <= DATASET_AUTO_CHECK_ROWS };
}

/** .csv and .json files of the project a dataset may come from (not outputs, dependencies or dotfiles). */
export async function projectDataFiles(root: string, limit = 200): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 6 || out.length >= limit) return;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = relative(root, join(dir, e.name)).split(sep).join('/');
      if (
        isIgnoredRelative(rel) ||
        rel === 'build' ||
        rel.startsWith('build/') ||
        rel === 'package.json' ||
        rel === 'package-lock.json' ||
        /(^|\/)tsconfig[^/]*\.json$/.test(rel)
      )
        continue;
      if (e.isDirectory()) await walk(join(dir, e.name), depth + 1);
      else if (e.isFile() && /\.(csv|json)$/i.test(e.name) && out.length < limit) out.push(rel);
    }
  };
  await walk(root, 0);
  return out;
}

/** A project-relative path the API may read: inside the project, no dotfiles, no links out, an existing file. */
export async function checkProjectFile(root: string, rel: string): Promise<string> {
  if (typeof rel !== 'string' || !rel)
    throw new FramesmithError('dataset_path', 'No file named.', {
      hint: 'Pick a .csv or .json file of the project.',
      exitCode: EXIT.usage,
    });
  const resolved = await resolveProjectPath(root, `/${rel.replace(/^\/+/, '')}`);
  if (!resolved.ok) {
    throw new FramesmithError(
      'dataset_path',
      resolved.refusal?.reason === 'outside' ? `${rel} is outside the project folder.` : `${rel} is not a file of the project.`,
      { hint: 'Pick a .csv or .json file inside the project, or drop the file on the dataset view.', exitCode: EXIT.usage },
    );
  }
  return resolved.relative;
}

/** `--data <file>`: resolved against the current folder, as the CLI's --batch is. */
export function cliDataPath(file: string): string {
  return resolve(file);
}

/** Checks `--data` before the server starts: a .csv/.json file that exists, within the size limit. */
export async function checkDataFile(file: string): Promise<void> {
  checkDatasetName(file);
  const stat = await fs.stat(resolve(file)).catch(() => null);
  if (!stat?.isFile())
    throw new FramesmithError('batch_file_missing', `Cannot read --data ${file}: no such file.`, {
      hint: 'Check the path (it is relative to the current folder).',
      exitCode: EXIT.usage,
    });
  if (stat.size > DATASET_MAX_BYTES) throw tooLarge(file, stat.size);
}
