/**
 * `-o`'s extension against `--format`, one rule for the local render and the cloud client: when
 * both name a format and they differ, the same code, message and hint wherever it is typed.
 */
import { extname } from 'node:path';
import { FORMATS, type UsageProblem } from './render-params.js';

/**
 * The problem when `out` ends in a format's extension (`.mp4`, `.webm`, `.mov`) and `format` (the
 * `--format` flag, undefined when not given) is another format; null otherwise. A folder (`out/`)
 * and an extension that names no format are not this rule's business.
 */
export function outputExtensionProblem(out: string | undefined, format: string | undefined): UsageProblem | null {
  if (!out || !format || /[\\/]$/.test(out)) return null;
  const given = extname(out).toLowerCase();
  const named = FORMATS.find((f) => `.${f}` === given);
  if (!named || !(FORMATS as readonly string[]).includes(format) || named === format) return null;
  return {
    code: 'output_extension_mismatch',
    message: `-o ${out} ends in ${extname(out)}, but --format is ${format}.`,
    hint: `Leave out --format (the extension picks it), or name the file *.${format}.`,
  };
}
