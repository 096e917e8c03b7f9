import { isCancel, select } from '@clack/prompts';
import { CancelledError, FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createProject, displayPath, type CreateProjectResult } from '../scaffold/create-project.js';
import { parseAspect, parseResolution } from '../scaffold/sizes.js';
import { listTemplates, type TemplateInfo } from '../scaffold/templates.js';
import { defineFramesmithCommand } from './define.js';
import { EXIT } from '../core/exit-codes.js';

function printList(templates: TemplateInfo[], logger: Logger): void {
  if (logger.json) {
    logger.result(templates.map(({ dir: _dir, ...t }) => t));
    return;
  }
  const width = Math.max(...templates.map((t) => t.name.length));
  const lines = templates.map((t) => `${t.name.padEnd(width)}  ${t.aspect.padEnd(4)}  ${`${t.duration}s`.padStart(4)}  ${t.description}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Asks for a template on a terminal; `blank` is preselected. */
async function askTemplate(templates: TemplateInfo[]): Promise<string> {
  const choice = await select({
    message: 'Which template?',
    initialValue: 'blank',
    options: templates.map((t) => ({ value: t.name, label: t.name, hint: `${t.aspect} · ${t.duration}s · ${t.description}` })),
  });
  if (isCancel(choice)) throw new CancelledError('Cancelled: no project was created.');
  return choice;
}

/** A path as it must be typed in a POSIX shell: quoted when it holds anything but plain characters. */
export function shellPath(path: string): string {
  return /^[\p{L}\p{N}_./@%+=:,-]+$/u.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function printNextSteps(result: CreateProjectResult, logger: Logger): void {
  if (logger.json) {
    logger.result({ ok: true, ...result });
    return;
  }
  for (const file of result.overwritten) logger.warn(`replaced ${file}`);
  if (result.packageJson === 'merged')
    logger.info('package.json: added the framesmith scripts' + (result.dependency.source === 'existing' ? '' : ' and devDependency'));
  logger.success(
    `Created ${displayPath(result.dir)} from "${result.template}" (${result.width}x${result.height}, ${result.aspect}, ${result.duration}s, ${result.files.length} files)`,
  );
  logger.info(`framesmith dependency: ${result.dependency.description}`);
  const where = shellPath(displayPath(result.dir));
  const ws = result.enclosing?.workspaceRoot;
  const steps = ['', 'Next:'];
  if (ws) {
    logger.info(
      `${displayPath(result.dir)} is a workspace of the npm project at ${displayPath(ws.dir)} (its workspaces include "${ws.pattern}"): npm installs its dependencies at that root.`,
    );
    steps.push(
      `  cd ${shellPath(displayPath(ws.dir))} && npm install`,
      `  npm run dev -w ${shellPath(ws.relativePath)}       # preview with live reload`,
      `  npm run render -w ${shellPath(ws.relativePath)}    # render an MP4 locally`,
      '',
    );
  } else {
    if (result.enclosing)
      logger.info(
        `Inside the npm project at ${displayPath(result.enclosing.dir)}: this project gets its own package.json and node_modules.`,
      );
    steps.push(
      `  cd ${where}`,
      '  npm install',
      '  npm run dev       # preview with live reload',
      '  npm run render    # render an MP4 locally',
      '',
    );
  }
  logger.info(steps.join('\n'));
  process.stdout.write(`${result.dir}\n`);
}

export default defineFramesmithCommand({
  name: 'new',
  description: 'Create a composition project from a template',
  args: {
    dir: { type: 'positional', required: false, description: 'Folder to create (must be new or empty unless --force)' },
    template: { type: 'string', alias: 't', valueHint: 'name', description: 'Template to start from (asks on a terminal; default blank)' },
    aspect: { type: 'string', valueHint: '16:9|9:16|1:1', description: "Frame aspect (default: the template's own)" },
    resolution: { type: 'string', valueHint: '1080p|4k', description: 'Frame size: 1080p (default) or 4k (double)' },
    force: { type: 'boolean', description: 'Write into a non-empty folder; replaces only the files the template provides' },
    list: { type: 'boolean', description: 'List the templates (name, aspect, duration, description) and exit' },
  },
  examples: [
    'framesmith new my-video',
    'framesmith new promo --template social-promo',
    'framesmith new chart --template data-chart --aspect 1:1 --resolution 4k',
    'framesmith new --list',
  ],
  async run({ args, logger }) {
    if (args.list) {
      printList(await listTemplates(), logger);
      return;
    }
    if (!args.dir) {
      throw new FramesmithError('missing_directory', 'Missing the folder to create.', {
        hint: 'Run `framesmith new <dir>` (e.g. `framesmith new my-video`), or `framesmith new --list` to see the templates.',
        exitCode: EXIT.usage,
      });
    }
    const aspect = args.aspect === undefined ? undefined : parseAspect(args.aspect);
    const resolution = args.resolution === undefined ? undefined : parseResolution(args.resolution);
    let template = args.template;
    if (template === undefined && process.stdin.isTTY && process.stdout.isTTY && !logger.json) {
      template = await askTemplate(await listTemplates());
    }
    const result = await createProject({ dir: args.dir, template, aspect, resolution, force: Boolean(args.force) });
    printNextSteps(result, logger);
  },
});
