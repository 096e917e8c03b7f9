/**
 * The `framesmith` command line: finds the subcommand, shows help, and is the one place where an
 * error becomes a printed message and an exit code. Commands throw; nothing below calls
 * `process.exit`.
 */
import { runCommand, type CommandDef } from 'citty';
import { commandHelp, rootHelp } from './commands/help.js';
import { commands } from './commands/index.js';
import { FramesmithError, formatProblem, isFramesmithError } from './core/errors.js';
import { PACKAGE_VERSION } from './core/paths.js';
import { installInterruptHandling, interruptedError } from './core/interrupt.js';
import { didYouMean } from '../shared/suggest.js';
import { EXIT } from './core/exit-codes.js';

/**
 * An error from the operating system about a file or the disk (permission, space, a file that
 * vanished) is the user's to fix, not a bug: it is reported with its path and exit 1.
 */
function osError(error: unknown): unknown {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || isFramesmithError(error) || typeof e.code !== 'string' || !/^E[A-Z]+$/.test(e.code) || !e.syscall)
    return error;
  const what: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'no space left on the disk',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'the file system is read-only',
    ENOENT: 'no such file or folder',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a folder',
    ELOOP: 'too many symlinks on the way',
    ENAMETOOLONG: 'the name is too long',
    EMFILE: 'too many open files',
    ENFILE: 'too many open files on the system',
    EIO: 'input/output error',
    EBUSY: 'the file is busy',
    EEXIST: 'a file of that name is in the way',
    EXDEV: 'it is on another disk',
  };
  if (!what[e.code]) return error;
  return new FramesmithError('file_error', `Could not ${e.syscall}${e.path ? ` ${e.path}` : ''}: ${what[e.code]} (${e.code}).`, {
    hint: 'Check the path, its permissions and the free disk space, then run the command again.',
    cause: error,
  });
}

function printError(error: unknown, json: boolean): number {
  if (isFramesmithError(error)) {
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: error.toJSON() }, null, 2)}\n`);
    const lines = [`error ${formatProblem(error)} [${error.code}]`];
    for (const d of error.details) {
      // Details may repeat the main problem (loadProject lists every error): print it once.
      if (d.code === error.code && d.message === error.message) continue;
      lines.push(`  ${d.severity} ${formatProblem(d)} [${d.code}]`);
    }
    if (error.hint) lines.push(`  hint: ${error.hint}`);
    process.stderr.write(`${lines.join('\n')}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'internal', message: String(error) } }, null, 2)}\n`);
  process.stderr.write(`framesmith crashed; this is a bug, please report it with the output below.\n${message}\n`);
  return 70;
}

/** For `framesmith renders get --help`: follows leading words that name subcommands (`renders` → `get`). */
async function resolveNested(cmd: CommandDef, rest: string[], path: string): Promise<{ cmd: CommandDef; path: string }> {
  let current = cmd;
  let typed = path;
  for (const word of rest) {
    if (word.startsWith('-')) break;
    const subs = typeof current.subCommands === 'function' ? await current.subCommands() : await current.subCommands;
    const next = subs?.[word];
    if (!next) break;
    current = (typeof next === 'function' ? await next() : await next) as CommandDef;
    typed = `${typed} ${word}`;
  }
  return { cmd: current, path: typed };
}

/** Runs the CLI with the given arguments (without `node` and the script). Sets `process.exitCode`. */
export async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  installInterruptHandling();
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      process.stdout.write(`${rootHelp(commands)}\n`);
      return;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      process.stdout.write(`${PACKAGE_VERSION}\n`);
      return;
    }
    const name = argv[0];
    const entry = commands[name];
    if (!entry) {
      const known = Object.keys(commands).join(', ');
      throw new FramesmithError(
        'unknown_command',
        `Unknown command "${name}".${didYouMean(name, Object.keys(commands), (c) => `\`framesmith ${c}\``)}`,
        { hint: `Commands: ${known}. Run \`framesmith --help\`.`, exitCode: EXIT.usage },
      );
    }
    const cmd = await entry.load();
    const rest = argv.slice(1);
    if (rest.includes('--help') || rest.includes('-h')) {
      const nested = await resolveNested(cmd, rest, `framesmith ${name}`);
      process.stdout.write(`${await commandHelp(nested.cmd, nested.path)}\n`);
      return;
    }
    await runCommand(cmd, { rawArgs: rest });
  } catch (error) {
    const converted =
      error instanceof Error && error.name === 'CLIError'
        ? new FramesmithError('invalid_arguments', error.message, { hint: `Run \`framesmith ${argv[0]} --help\`.`, exitCode: EXIT.usage })
        : error;
    process.exitCode = printError(interruptedError(osError(converted)), json);
  }
}
