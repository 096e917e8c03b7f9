/**
 * Reads `--variables '<json>'` / `--variables-file f` into values (for every command that takes
 * them: render, render --cloud, snapshot), and checks them against the composition's declarations. Broken JSON names the position; unknown ids and wrong types are
 * warnings by default (the cloud ignores them) and errors when `strict`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkValues, type VariableDeclaration, type VariableValues } from '../../shared/variables.js';
import { FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { EXIT } from '../core/exit-codes.js';

export interface VariablesInput {
  /** `--variables`: a JSON object as text. */
  json?: string;
  /** `--variables-file`: path of a JSON file holding an object. */
  file?: string;
  /** The folder a relative `file` is read from (default: the current folder). */
  cwd?: string;
}

function parseObject(text: string, source: string): VariableValues {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new FramesmithError('invalid_variables_json', `${source} is not valid JSON: ${(e as Error).message}.`, {
      hint: `Pass a JSON object, e.g. --variables '{"headline":"Q3 Revenue","value":"$2.4M"}' (quote it for your shell).`,
      exitCode: EXIT.usage,
    });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new FramesmithError(
      'invalid_variables_json',
      `${source} must be a JSON object of variable values, got ${Array.isArray(value) ? 'an array' : typeof value}.`,
      {
        hint: 'Use {"id": value, ...} with the ids from data-composition-variables.',
        exitCode: EXIT.usage,
      },
    );
  }
  return value as VariableValues;
}

/** Parses the flags; returns {} when neither is given. Both together: the inline values win per key. */
export async function readVariablesInput(input: VariablesInput): Promise<VariableValues> {
  let values: VariableValues = {};
  if (input.file) {
    let text: string;
    try {
      text = await readFile(resolve(input.cwd ?? process.cwd(), input.file), 'utf8');
    } catch (e) {
      throw new FramesmithError(
        'variables_file_unreadable',
        `Cannot read --variables-file ${input.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
        {
          hint: 'Check the path (it is relative to the current folder).',
          exitCode: EXIT.usage,
        },
      );
    }
    values = parseObject(text, `--variables-file ${input.file}`);
  }
  if (input.json !== undefined) values = { ...values, ...parseObject(input.json, '--variables') };
  return values;
}

/** Reports values that do not match the declarations; throws when `strict`. */
export function checkVariablesAgainst(declarations: VariableDeclaration[], values: VariableValues, logger: Logger, strict = false): void {
  const problems = checkValues(declarations, values);
  if (!problems.length) return;
  if (strict) {
    throw new FramesmithError(
      'invalid_variables',
      problems[0].message + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''),
      {
        hint: 'Fix the values or the declarations in data-composition-variables.',
        details: problems.map((p) => ({ code: `variable_${p.kind}`, message: p.message, severity: 'error' as const })),
        exitCode: EXIT.usage,
      },
    );
  }
  for (const p of problems) logger.warn(`variables: ${p.message}`, `variable_${p.kind}`);
}
