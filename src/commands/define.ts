/**
 * How a framesmith command is declared. Options are data (citty arg definitions): the same table
 * gives `--help`, the command reference in docs/cli.md (`scripts/docs.mjs`) and the parsing. This
 * wrapper adds what citty leaves out: unknown flags are errors (a typo must not be ignored), and
 * every command gets the shared output flags and a logger.
 */
import { defineCommand, type ArgsDef, type CommandDef, type ParsedArgs } from 'citty';
import { FramesmithError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { closest } from '../../shared/suggest.js';
import { COMMAND_EXAMPLES } from './help.js';
import { EXIT } from '../core/exit-codes.js';

/** Output flags every command takes. */
export const outputArgs = {
  json: { type: 'boolean', description: 'Print one JSON object with the result on stdout and nothing else' },
  quiet: { type: 'boolean', alias: 'q', description: 'Print only errors' },
  verbose: { type: 'boolean', description: 'Print debug details' },
} as const satisfies ArgsDef;

/** `--variables` / `--variables-file`, shared by snapshot, render and build. */
export const variablesArgs = {
  variables: { type: 'string', valueHint: 'json', description: 'Variable values as a JSON object, e.g. \'{"headline":"Hi"}\'' },
  'variables-file': { type: 'string', valueHint: 'file', description: 'Read variable values from a JSON file' },
} as const satisfies ArgsDef;

/** `--composition`, shared by every command that opens a project. */
export const compositionArg = {
  composition: { type: 'string', valueHint: 'file.html', description: 'Entry HTML inside the project (default index.html)' },
} as const satisfies ArgsDef;

export interface RunContext<T extends ArgsDef> {
  args: ParsedArgs<T & typeof outputArgs>;
  logger: Logger;
  rawArgs: string[];
}

export interface FramesmithCommand<T extends ArgsDef> {
  name: string;
  description: string;
  args: T;
  /** Extra text shown under `--help` (examples). */
  examples?: string[];
  run(ctx: RunContext<T>): Promise<void> | void;
}

function knownFlags(args: ArgsDef): Set<string> {
  const known = new Set<string>(['help', 'h']);
  for (const [name, def] of Object.entries(args)) {
    if (def.type === 'positional') continue;
    known.add(name);
    const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    known.add(camel);
    if (def.type === 'boolean') known.add(`no-${name}`);
    const aliases = 'alias' in def && def.alias ? (Array.isArray(def.alias) ? def.alias : [def.alias]) : [];
    for (const a of aliases) known.add(a);
  }
  return known;
}

/** Throws a clear error for a flag the command does not know, naming the closest known one. */
export function checkUnknownFlags(rawArgs: string[], args: ArgsDef, command: string): void {
  const known = knownFlags(args);
  for (const raw of rawArgs) {
    if (raw === '--') break;
    if (!raw.startsWith('-') || raw === '-') continue;
    const name = raw.replace(/^-+/, '').split('=')[0];
    if (known.has(name)) continue;
    // Suggest the flags as --help spells them (not their camelCase or one-letter forms).
    const spelled = Object.entries(args).flatMap(([flag, def]) =>
      def.type === 'positional' ? [] : def.type === 'boolean' ? [flag, `no-${flag}`] : [flag],
    );
    const near = closest(name, spelled);
    throw new FramesmithError('unknown_option', `Unknown option ${raw} for \`framesmith ${command}\`.`, {
      hint: near
        ? `Did you mean --${near}? Run \`framesmith ${command} --help\` for the list.`
        : `Run \`framesmith ${command} --help\` for the options.`,
      exitCode: EXIT.usage,
    });
  }
}

/** Declares a command: citty definition plus unknown-flag checks and a logger from the output flags. */
export function defineFramesmithCommand<const T extends ArgsDef>(spec: FramesmithCommand<T>): CommandDef<T & typeof outputArgs> {
  const args = { ...spec.args, ...outputArgs } as T & typeof outputArgs;
  const def = defineCommand({
    meta: { name: spec.name, description: spec.description },
    args,
    async run({ args: parsed, rawArgs }) {
      checkUnknownFlags(rawArgs, args, spec.name);
      const p = parsed as Record<string, unknown>;
      const logger = createLogger({
        json: Boolean(p.json),
        level: p.quiet ? 'error' : p.verbose ? 'debug' : undefined,
      });
      await spec.run({ args: parsed as ParsedArgs<T & typeof outputArgs>, logger, rawArgs });
    },
  });
  if (spec.examples?.length) COMMAND_EXAMPLES.set(def, spec.examples);
  return def;
}

/** Parses a number flag, with a clear error naming the flag and the accepted range. */
export function parseNumberFlag(
  value: string | undefined,
  flag: string,
  { min, max, integer = false }: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  const range = `${min ?? '-∞'}–${max ?? '∞'}`;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
    throw new FramesmithError(
      'invalid_option',
      `--${flag} must be ${integer ? 'a whole number' : 'a number'} in ${range}, got "${value}".`,
      {
        hint: `Pass --${flag} with a value in ${range}.`,
        exitCode: EXIT.usage,
      },
    );
  }
  return n;
}
