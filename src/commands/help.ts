/**
 * `--help` text, written from the commands' own option tables (the same data that parses the
 * options), so help, parsing and docs/cli.md cannot disagree. `framesmith --help` is one aligned
 * line per command; `framesmith <command> --help` lists its arguments and options, one per line,
 * flags left-aligned and spelled as typed (`-o, --out <file>`), then its examples.
 */
import type { ArgDef, ArgsDef, CommandDef } from 'citty';
import { PACKAGE_VERSION } from '../core/paths.js';

/** Examples of each command, kept beside its definition by defineFramesmithCommand. */
export const COMMAND_EXAMPLES = new WeakMap<object, string[]>();

/** The order commands are listed in: the order of the work. Others follow in table order. */
const ORDER = ['new', 'dev', 'snapshot', 'lint', 'build', 'render', 'renders', 'webhooks'];

const resolveValue = async <T>(v: T | (() => T | Promise<T>) | Promise<T> | undefined): Promise<T | undefined> =>
  typeof v === 'function' ? await (v as () => T | Promise<T>)() : await v;

/** Two aligned columns; a left cell longer than `max` puts its text on the next line. */
function columns(rows: [string, string][], indent = 2, max = 30): string[] {
  const width = Math.min(max, Math.max(0, ...rows.map(([l]) => l.length)));
  const pad = ' '.repeat(indent);
  return rows.flatMap(([left, right]) => {
    if (!right) return [`${pad}${left}`];
    if (left.length > width) return [`${pad}${left}`, `${pad}${' '.repeat(width + 2)}${right}`];
    return [`${pad}${left.padEnd(width)}  ${right}`];
  });
}

function aliasesOf(def: ArgDef): string[] {
  const a = 'alias' in def ? def.alias : undefined;
  return a === undefined ? [] : Array.isArray(a) ? a : [a];
}

/** One row per option as a user types it. */
function optionRows(args: ArgsDef): [string, string][] {
  const rows: [string, string][] = [];
  for (const [name, def] of Object.entries(args)) {
    if (def.type === 'positional') continue;
    const aliases = aliasesOf(def);
    const short = aliases
      .filter((a) => a.length === 1)
      .map((a) => `-${a}, `)
      .join('');
    const long = aliases.filter((a) => a.length > 1);
    const also = long.length ? ` (also ${long.map((a) => `--${a}`).join(', ')})` : '';
    const description = def.description ?? '';
    if (def.type === 'boolean') {
      if (def.default === true) {
        const negative = 'negativeDescription' in def && def.negativeDescription ? (def.negativeDescription as string) : description;
        rows.push([`--no-${name}`, `${negative}${also}`]);
      } else rows.push([`${short}--${name}`, `${description}${also}`]);
      continue;
    }
    const hint = 'valueHint' in def && def.valueHint ? ` <${def.valueHint}>` : ' <value>';
    const dflt = def.default !== undefined && !/default/i.test(description) ? ` (default ${def.default})` : '';
    rows.push([`${short}--${name}${hint}`, `${description}${dflt}${also}`]);
  }
  return rows;
}

/** Help for one command (`path` is how it is typed, e.g. `framesmith renders get`). */
export async function commandHelp(cmd: CommandDef, path: string): Promise<string> {
  const meta = await resolveValue(cmd.meta);
  const args = ((await resolveValue(cmd.args)) ?? {}) as ArgsDef;
  const subs = ((await resolveValue(cmd.subCommands)) ?? {}) as Record<string, CommandDef | (() => Promise<CommandDef>)>;
  const lines: string[] = [];
  const positional = Object.entries(args).filter(([, d]) => d.type === 'positional');
  if (Object.keys(subs).length) {
    lines.push(`Usage: ${path} <command> [options]`, '', meta?.description ?? '', '', 'Commands:');
    const rows: [string, string][] = [];
    for (const [name, sub] of Object.entries(subs))
      rows.push([name, (await resolveValue((await resolveValue(sub))?.meta))?.description?.split('\n')[0] ?? '']);
    lines.push(...columns(rows), '', `Run \`${path} <command> --help\` for its options and examples.`);
    return lines.join('\n');
  }
  const usageArgs = positional.map(([name, d]) => ('required' in d && d.required ? `<${name}>` : `[${name}]`)).join(' ');
  lines.push(`Usage: ${path}${usageArgs ? ` ${usageArgs}` : ''} [options]`, '', meta?.description ?? '');
  if (positional.length) {
    lines.push('', 'Arguments:');
    lines.push(
      ...columns(
        positional.map(([name, d]) => [name, `${d.description ?? ''}${d.default !== undefined ? ` (default ${d.default})` : ''}`]),
      ),
    );
  }
  lines.push('', 'Options:', ...columns([...optionRows(args), ['-h, --help', 'Show this help']]));
  const examples = COMMAND_EXAMPLES.get(cmd);
  if (examples?.length) lines.push('', 'Examples:', ...examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** `framesmith --help`: one aligned line per command. */
export function rootHelp(commands: Record<string, { description: string }>): string {
  const names = [...ORDER.filter((n) => n in commands), ...Object.keys(commands).filter((n) => !ORDER.includes(n))];
  return [
    `framesmith ${PACKAGE_VERSION}: author HTML video compositions, preview them live, and render them locally or with HeyGen HyperFrames`,
    '',
    'Usage: framesmith <command> [options]',
    '',
    'Commands:',
    ...columns(names.map((n) => [n, commands[n].description])),
    '',
    'Options:',
    ...columns([
      ['-h, --help', 'Show this help'],
      ['-v, --version', 'Print the version'],
    ]),
    '',
    'Run `framesmith <command> --help` for its options and examples.',
  ].join('\n');
}
