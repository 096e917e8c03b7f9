/**
 * Zip entry names are checked before anything is archived, and the written zip is read back:
 * what was linted and checked is exactly what the cloud extracts. A name is refused (with the
 * file named) when, after turning `\` into `/`, it has an empty, `.` or `..` segment or starts
 * with `/`, has a drive or `name:` prefix or any `:`, holds a control character, is not valid
 * Unicode, or equals another name (also after Unicode normalization).
 */
import yauzl from 'yauzl';
import { FramesmithError } from '../core/errors.js';

/** Why `name` cannot be a zip entry, or null. */
export function zipNameProblem(name: string): string | null {
  if (name === '') return 'the name is empty';
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(name);
  if (control) return `the name holds the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
  // A lone surrogate has no UTF-8 form; U+FFFD is what a name that was not UTF-8 decodes to.
  if (/\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name))
    return 'the name is not valid Unicode (UTF-8)';
  const normal = name.replace(/\\/g, '/');
  if (normal.startsWith('/')) return 'the name is an absolute path';
  if (/^[A-Za-z]:/.test(normal)) return 'the name starts with a drive letter';
  if (normal.includes(':')) return 'the name holds a ":", which some systems read as a drive or a stream name';
  const segments = normal.split('/');
  if (segments.includes('..')) return `after turning \\ into /, the name climbs out of the folder with ".."`;
  if (segments.some((s) => s === '' || s === '.')) return 'the name has an empty or "." segment';
  return null;
}

const nameKey = (name: string) => name.replace(/\\/g, '/').normalize('NFC');

/** Throws `bundle_name_invalid` for the first name that cannot be an entry or repeats another. */
export function checkZipNames(names: string[]): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const problem = zipNameProblem(name);
    if (problem) {
      throw new FramesmithError('bundle_name_invalid', `${JSON.stringify(name)} cannot be a zip entry: ${problem}. Nothing was written.`, {
        hint: 'Rename the file (letters, digits, - _ . and / between folders), or leave it out with a .framesmithignore pattern.',
        loc: { file: name, line: 0, column: 0 },
      });
    }
    const key = nameKey(name);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new FramesmithError(
        'bundle_name_invalid',
        `${JSON.stringify(name)} and ${JSON.stringify(other)} would be the same zip entry ${JSON.stringify(key)}. Nothing was written.`,
        {
          hint: 'Rename one of the two files, or leave one out with a .framesmithignore pattern.',
          loc: { file: name, line: 0, column: 0 },
        },
      );
    }
    seen.set(key, name);
  }
}

/** The entry names of a zip file, in order, as an extracting tool reads them. */
export function readZipNames(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: true, strictFileNames: false, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('cannot open zip'));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Reads `path` back and throws `zip_verify_failed` unless its entries are exactly `expected`. */
export async function verifyZip(path: string, expected: string[]): Promise<void> {
  let names: string[];
  try {
    names = await readZipNames(path);
  } catch (error) {
    throw new FramesmithError(
      'zip_verify_failed',
      `The zip just written cannot be read back: ${(error as Error).message}. Nothing was written.`,
      {
        hint: 'Check the disk (space, errors) and build again.',
        cause: error,
      },
    );
  }
  const same = names.length === expected.length && names.every((n, i) => n === expected[i]);
  if (same) return;
  const missing = expected.filter((n) => !names.includes(n));
  const extra = names.filter((n) => !expected.includes(n));
  const detail = [
    missing.length
      ? `missing ${missing
          .slice(0, 3)
          .map((n) => JSON.stringify(n))
          .join(', ')}`
      : '',
    extra.length
      ? `unexpected ${extra
          .slice(0, 3)
          .map((n) => JSON.stringify(n))
          .join(', ')}`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  throw new FramesmithError(
    'zip_verify_failed',
    `The zip read back does not list the checked files (${detail || 'another order'}). Nothing was written.`,
    {
      hint: 'This should not happen: please report it with the file names involved.',
    },
  );
}
