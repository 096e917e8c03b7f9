// The help a user reads: `framesmith --help` is one aligned line per command; each command's help
// lists its options as they are typed, then examples; a flag name means one thing in every
// command; a misspelt command or flag gets a suggestion.
import { describe, expect, it } from 'vitest';
import type { ArgsDef, CommandDef } from 'citty';
import { commands } from '../../src/commands/index.js';
import { runCli } from '../helpers/cli.js';

const resolve = async <T>(v: T | (() => T | Promise<T>) | Promise<T>): Promise<T> =>
  typeof v === 'function' ? await (v as () => T | Promise<T>)() : await v;

/** Every command as typed, with its definition: `dev`, …, `renders get`, `webhooks verify`. */
async function allCommands(): Promise<Array<{ path: string; cmd: CommandDef }>> {
  const out: Array<{ path: string; cmd: CommandDef }> = [];
  async function walk(cmd: CommandDef, path: string) {
    const subs = ((await resolve(cmd.subCommands as never)) ?? {}) as Record<string, CommandDef>;
    if (!Object.keys(subs).length) out.push({ path, cmd });
    for (const [name, sub] of Object.entries(subs)) await walk(await resolve(sub as never), `${path} ${name}`);
  }
  for (const [name, entry] of Object.entries(commands)) await walk(await entry.load(), name);
  return out;
}

describe('framesmith --help', () => {
  it('lists each command on one line, descriptions aligned, in the order of the work', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    const block = r.stdout.split('Commands:\n')[1].split('\n\n')[0].split('\n');
    expect(block.map((l) => l.trim().split(/\s+/)[0])).toEqual([
      'new',
      'dev',
      'snapshot',
      'lint',
      'build',
      'render',
      'renders',
      'webhooks',
      ...Object.keys(commands).filter((c) => !['new', 'dev', 'snapshot', 'lint', 'build', 'render', 'renders', 'webhooks'].includes(c)),
    ]);
    const starts = new Set(
      block.map(
        (l) => l.search(/\S/u) + l.trim().split(/\s+/)[0].length + l.slice(l.search(/\S/) + l.trim().split(/\s+/)[0].length).search(/\S/),
      ),
    );
    expect(starts.size).toBe(1);
    for (const line of r.stdout.split('\n')) {
      expect(line.length).toBeLessThanOrEqual(120);
      expect(line).toBe(line.trimEnd());
    }
    expect(r.stdout).not.toContain('Examples');
    expect(r.stdout).toContain('Run `framesmith <command> --help` for its options and examples.');
  });

  it('each command shows usage, its options as typed, and its examples', async () => {
    for (const { path } of await allCommands()) {
      const r = await runCli([...path.split(' '), '--help']);
      expect(r.code, path).toBe(0);
      expect(r.stdout, path).toMatch(new RegExp(`^Usage: framesmith ${path}( |$)`));
      expect(r.stdout, path).toContain('\nOptions:\n');
      expect(r.stdout, path).toMatch(/\nExamples:\n {2}framesmith /);
      for (const line of r.stdout.split('\n')) {
        expect(line, path).toBe(line.trimEnd());
        // Long flags with two dashes, short ones with one letter: never `-name-pattern`.
        expect(line, path).not.toMatch(/^\s+-[a-z]{2,}/);
      }
    }
    const render = await runCli(['render', '--help']);
    expect(render.stdout).toMatch(/^ {2}--out-pattern <pattern> +Batch output names.*\(also --name-pattern\)$/m);
    expect(render.stdout).toMatch(/^ {2}-o, --out <file> +Video to write/m);
    expect(render.stdout).toMatch(/^ {2}--no-thumbnail +Do not write the thumbnail$/m);
  });

  it('a flag name means the same kind of thing in every command', async () => {
    const seen = new Map<string, Set<string>>();
    for (const { cmd } of await allCommands()) {
      for (const [name, def] of Object.entries(((await resolve(cmd.args as never)) ?? {}) as ArgsDef)) {
        if (def.type === 'positional') continue;
        // `--out` is where the output goes: a video, a zip or a folder of stills, by command.
        const hint = name === 'out' ? '' : 'valueHint' in def ? (def.valueHint ?? '') : '';
        if (!seen.has(name)) seen.set(name, new Set());
        seen.get(name)!.add(`${def.type} ${hint}`);
      }
    }
    const mixed = [...seen].filter(([, kinds]) => kinds.size > 1).map(([name, kinds]) => `--${name}: ${[...kinds].join(' / ')}`);
    expect(mixed).toEqual([]);
    expect([...seen.get('frames')!]).toEqual(['string a-b']);
  });
});

describe('did you mean', () => {
  it('suggests the command and the flag closest to a misspelt one', async () => {
    const cmd = await runCli(['rendr']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain('Unknown command "rendr". Did you mean `framesmith render`?');
    const flag = await runCli(['render', '.', '--qualty', 'high']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('Unknown option --qualty for `framesmith render`.');
    expect(flag.stderr).toContain('hint: Did you mean --quality?');
    const none = await runCli(['build', '--zzzzzz']);
    expect(none.stderr).not.toContain('Did you mean');
  });
});
