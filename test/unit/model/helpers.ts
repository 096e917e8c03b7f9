/**
 * Helpers for the model parser tests: parse a fixture project in place (the parser only reads),
 * and compute expected locations from the fixture's text, independently of the parser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FramesmithError } from '../../../src/core/errors.js';
import { parseProject, type ParseOptions, type ParsedProject } from '../../../src/model/index.js';
import type { Diagnostic, SourceLocation } from '../../../shared/diagnostics.js';
import { FIXTURES } from '../../helpers/fixtures.js';

export const fixture = (name: string) => join(FIXTURES, 'model', name);

export function parseFixture(name: string, options?: ParseOptions): Promise<ParsedProject> {
  return parseProject(fixture(name), options);
}

export async function diagnosticsOf(name: string): Promise<Diagnostic[]> {
  return (await parseFixture(name)).model.diagnostics;
}

/** 1-based line and column where the `nth` occurrence of `needle` starts in a fixture file. */
export function at(project: string, file: string, needle: string, nth = 0): SourceLocation {
  const text = readFileSync(join(fixture(project), file), 'utf8');
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" (#${nth}) is not in ${project}/${file}`);
  }
  const before = text.slice(0, offset).split('\n');
  return { file, line: before.length, column: before[before.length - 1].length + 1 };
}

/** The FramesmithError a call rejects with (fails the test when it resolves or throws something else). */
export async function rejection(promise: Promise<unknown>): Promise<FramesmithError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FramesmithError);
  return error as FramesmithError;
}

/** The single diagnostic with `code` (fails when there is not exactly one). */
export function only(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found, JSON.stringify(diagnostics, null, 1)).toHaveLength(1);
  return found[0];
}
