/**
 * Every exit code the `framesmith` command can end with, as data: docs/errors.md's table is
 * generated from it (`node scripts/docs.mjs`) and a test checks that the cloud commands' own codes
 * (src/cloud/exit-codes.ts) are all listed here.
 */
export interface ExitCodeInfo {
  code: number;
  /** Which commands use it. */
  commands: string;
  when: string;
  todo: string;
}

export const EXIT_CODES: readonly ExitCodeInfo[] = [
  { code: 0, commands: 'all', when: 'Success (`lint` and `build`: warnings do not fail).', todo: '' },
  {
    code: 1,
    commands: 'all',
    when: 'The work failed: lint errors, a project that cannot be read, a page error while rendering, a batch with a failed row, ffmpeg or Chromium missing.',
    todo: 'Read the message and its `hint:` line; `framesmith lint` lists every problem of a project at once.',
  },
  {
    code: 2,
    commands: 'all',
    when: 'A mistake in the command: an unknown or misspelt flag, a bad value, a flag of another mode, an output that cannot be written; with `--cloud` also a 400/413 answer from HeyGen. Nothing was started.',
    todo: 'Fix the flag the message names (`framesmith <command> --help`).',
  },
  {
    code: 3,
    commands: 'render --cloud, renders, webhooks',
    when: 'No API key (or OAuth token) found, or HeyGen rejected it (401/403); the message says where it was read from, never the value.',
    todo: 'Set a valid key in the place named (`--api-key`, `HEYGEN_API_KEY`, the project `.env`), or a fresh token (`--access-token`, `HEYGEN_ACCESS_TOKEN`).',
  },
  {
    code: 4,
    commands: 'render --cloud, renders, webhooks',
    when: 'HeyGen answered 404: no such render, asset or endpoint on this account.',
    todo: 'Check the id with `framesmith renders list` / `webhooks list`.',
  },
  {
    code: 5,
    commands: 'render --cloud',
    when: 'HeyGen answered 402: the account has no credits.',
    todo: 'Add credits; draft quality and 1080p cost less.',
  },
  {
    code: 6,
    commands: 'render --cloud, renders, webhooks',
    when: 'HeyGen stayed unavailable: 429 (after honouring Retry-After), 5xx or dropped connections after 5 attempts with backoff; an answer not complete within its deadline (60 s, not retried); or a download cut off or stalled 3 times.',
    todo: 'Try again later; a submitted render keeps going, a finished one is fetched with `framesmith renders get <id> --download`.',
  },
  {
    code: 7,
    commands: 'render --cloud, renders get',
    when: "The cloud render failed; HeyGen's `failure_message` is printed.",
    todo: 'Check with `framesmith lint` and a local `framesmith render`.',
  },
  {
    code: 8,
    commands: 'render --cloud',
    when: '`--timeout` passed while the render was still running (it goes on in the cloud).',
    todo: 'Resume with `framesmith renders get <id> --download`.',
  },
  {
    code: 9,
    commands: 'vendor',
    when: 'Some remote files could not be had (each listed with the reason and the files that reference it); everything else was vendored and those references were left as they were.',
    todo: 'Fix or remove the URLs listed, or put those files into the project yourself; run `framesmith vendor` again (online) afterwards.',
  },
  {
    code: 70,
    commands: 'all',
    when: 'A bug in framesmith: the message starts with "framesmith crashed; this is a bug" and shows the stack.',
    todo: 'Please report it with the output.',
  },
  {
    code: 130,
    commands: 'all',
    when: 'Interrupted by Ctrl+C (SIGINT) or SIGTERM; temp files are removed, nothing is left under a final name.',
    todo: 'Run it again; cloud commands print the command that resumes.',
  },
];

/** The Markdown table for docs/errors.md. */
export function renderExitCodeTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| exit | commands | when | what to do |',
    '|---|---|---|---|',
    ...EXIT_CODES.map((e) => `| ${e.code} | ${cell(e.commands)} | ${cell(e.when)} | ${cell(e.todo)} |`),
  ].join('\n');
}

/** The exit codes by name, for code that ends the CLI (each is described in EXIT_CODES above). */
export const EXIT = {
  ok: 0,
  /** The work failed (lint errors, an unreadable project, a page error, a failed batch row…). */
  failed: 1,
  /** A mistake in the command; nothing was started. */
  usage: 2,
  auth: 3,
  notFound: 4,
  credits: 5,
  unavailable: 6,
  renderFailed: 7,
  timeout: 8,
  /** `vendor`: some remote files could not be had; the rest was vendored. */
  partial: 9,
  bug: 70,
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
