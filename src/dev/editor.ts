/**
 * "Open in editor" for the preview's `file:line` links, the way Vite's dev server does it: the
 * editor command comes from LAUNCH_EDITOR, else VISUAL or EDITOR, else the editor found running
 * (launch-editor's guess), and it is called with the line and column in the form that editor
 * understands (launch-editor's table). Only project files can be opened (the same path rules as
 * serving them). The answer says clearly what went wrong: no editor configured, a command that
 * does not exist, a terminal editor that cannot open from a browser, an editor that failed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { resolveProjectPath } from '../serve/safe-path.js';

const require = createRequire(import.meta.url);
type Guess = (specified?: string) => (string | null)[];
type ArgsFor = (editor: string, file: string, line?: number, column?: number) => string[];

export interface OpenRequest {
  file: string;
  line?: number;
  column?: number;
}

export type OpenResult = { ok: true; editor: string } | { ok: false; status: number; message: string };

/** Editors that need the terminal they were started from; a dev server cannot give them one. */
const TERMINAL_EDITORS = new Set(['vi', 'vim', 'nvim', 'nano', 'emacs', 'micro', 'helix', 'hx', 'joe', 'ne', 'kak', 'ed']);

/** Where the editor command was taken from, for messages. */
function source(env: NodeJS.ProcessEnv, specified: string | undefined): string {
  if (specified) return 'the dev server option';
  if (env.LAUNCH_EDITOR) return 'LAUNCH_EDITOR';
  if (env.VISUAL) return 'VISUAL';
  if (env.EDITOR) return 'EDITOR';
  return 'the editor found running';
}

/**
 * Opens `req.file` (project-relative) at its line in the user's editor. Resolves once the editor
 * started (or failed to): a command that does not exist or exits at once with an error is
 * reported, an editor that keeps running is left alone.
 */
export async function openInEditor(
  root: string,
  req: OpenRequest,
  options: { editor?: string; env?: NodeJS.ProcessEnv; waitMs?: number } = {},
): Promise<OpenResult> {
  if (typeof req.file !== 'string' || req.file === '') return { ok: false, status: 400, message: 'No file to open.' };
  const resolved = await resolveProjectPath(root, `/${req.file.replace(/^\/+/, '')}`);
  if (!resolved.ok) {
    return {
      ok: false,
      status: resolved.status,
      message: `${req.file} is not a file of this project (${resolved.reason.toLowerCase()}); only project files open in the editor.`,
    };
  }
  const env = options.env ?? process.env;
  const line = Number.isInteger(req.line) && req.line! > 0 ? req.line : undefined;
  const column = Number.isInteger(req.column) && req.column! > 0 ? req.column : undefined;
  const guess = require('launch-editor/guess') as Guess;
  const argsFor = require('launch-editor/get-args') as ArgsFor;
  // launch-editor's guess reads process.env; give it the environment asked for.
  const specified = options.editor ?? env.LAUNCH_EDITOR ?? (options.env ? (env.VISUAL ?? env.EDITOR) : undefined);
  const from = source(env, options.editor);
  const [editor, ...extra] = guess(specified || undefined);
  if (!editor) {
    return {
      ok: false,
      status: 501,
      message:
        'No editor to open it with: set LAUNCH_EDITOR (or EDITOR) to your editor command, e.g. LAUNCH_EDITOR=code, and start framesmith dev again.',
    };
  }
  const name = basename(editor).replace(/\.(exe|cmd|bat)$/i, '');
  if (TERMINAL_EDITORS.has(name)) {
    return {
      ok: false,
      status: 501,
      message: `The editor "${editor}" (from ${from}) runs in a terminal and cannot be opened from the browser: set LAUNCH_EDITOR to a windowed editor command (code, subl, zed, idea, …).`,
    };
  }
  const args = [...extra.filter((a): a is string => typeof a === 'string'), ...argsFor(editor, resolved.path, line, column)];
  return new Promise<OpenResult>((resolve) => {
    let settled = false;
    const done = (r: OpenResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    let child: ChildProcess;
    try {
      child = spawn(editor, args, { stdio: 'ignore', detached: true, shell: process.platform === 'win32' });
    } catch (error) {
      return done({
        ok: false,
        status: 500,
        message: `Could not start the editor "${editor}" (from ${from}): ${(error as Error).message}.`,
      });
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT';
      done({
        ok: false,
        status: 500,
        message: missing
          ? `The editor command "${editor}" (from ${from}) does not exist: install it or set LAUNCH_EDITOR to an editor command that is on your PATH (e.g. code).`
          : `Could not start the editor "${editor}" (from ${from}): ${error.message}.`,
      });
    });
    child.on('exit', (code: number | null) => {
      if (code)
        done({
          ok: false,
          status: 500,
          message: `The editor "${editor}" (from ${from}) exited with code ${code} when asked to open ${resolved.relative}.`,
        });
      else done({ ok: true, editor });
    });
    // An editor that is still running after a moment has started (GUI editors keep running).
    setTimeout(() => {
      child.unref();
      done({ ok: true, editor });
    }, options.waitMs ?? 600).unref();
  });
}
