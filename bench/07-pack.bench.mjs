// Figures for issue 17: what installing framesmith costs a user. The package file's size, `npm pack`
// (of a copy of what `files` ships, with the current build), `npm install` of the package file into
// an empty folder from a warm npm cache, the installed CLI's `--version` start, and a new project's
// own `npm install` of it. CPU seconds (user+sys of the child) are printed beside wall times: they
// are the figures that hold on a shared machine.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { median, tempDir } from './lib.mjs';

export const title = 'package and install (issue 17)';

function userEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/** Wall ms and child CPU seconds of one command. */
function timed(cmd, args, cwd, env = userEnv()) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { ms, cpu: user + sys, stdout: r.stdout };
}

export async function run(ctx) {
  const pkg = JSON.parse(readFileSync(join(ctx.root, 'package.json'), 'utf8'));
  const work = tempDir('framesmith-bench-pack-');
  try {
    const stage = join(work, 'stage');
    mkdirSync(join(stage, 'scripts'), { recursive: true });
    for (const f of ['package.json', 'README.md', ...pkg.files.filter((f) => !f.startsWith('!'))])
      cpSync(join(ctx.root, f), join(stage, f), { recursive: true });
    cpSync(join(ctx.root, 'scripts', 'pack-manifest.mjs'), join(stage, 'scripts', 'pack-manifest.mjs'));
    const dest = join(work, 'files');
    mkdirSync(dest);
    const pack = timed('npm', ['pack', '--json', '--pack-destination', dest], stage, userEnv({ FRAMESMITH_PACK_SKIP_BUILD: '1' }));
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
    const tarball = join(dest, info.filename);
    ctx.figure('pack', 'package file size', info.size / 1e3, 'kB', '< 1 MB');
    ctx.figure('pack', 'unpacked size (files in the package)', `${(info.unpackedSize / 1e3).toFixed(1)} kB, ${info.entryCount}`, 'files');
    ctx.figure('pack', 'npm pack (prebuilt), wall / CPU', `${Math.round(pack.ms)} ms / ${pack.cpu.toFixed(1)} s`, '');

    const installs = [];
    let app;
    for (let i = 0; i < 3; i++) {
      app = join(work, `app-${i}`);
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
      installs.push(timed('npm', ['install', '--prefer-offline', tarball], app));
    }
    ctx.figure('pack', 'npm install <package file> into an empty folder, warm cache, wall median', median(installs.map((x) => x.ms)), 'ms');
    ctx.figure('pack', '  the same, CPU median', median(installs.map((x) => x.cpu)), 's');
    const du = spawnSync('du', ['-sk', join(app, 'node_modules')], { encoding: 'utf8' });
    ctx.figure('pack', 'node_modules after the install', Number(du.stdout.split('\t')[0]) / 1024, 'MB');

    const bin = join(app, 'node_modules', '.bin', 'framesmith');
    const starts = [0, 1, 2, 3, 4].map(() => timed(bin, ['--version'], app).ms);
    ctx.figure('pack', 'installed framesmith --version, wall median', median(starts), 'ms');

    const made = timed(bin, ['new', 'q3', '--template', 'data-chart'], app);
    ctx.figure('pack', 'framesmith new (installed), wall', made.ms, 'ms');
    const own = timed('npm', ['install', '--prefer-offline'], join(app, 'q3'));
    ctx.figure(
      'pack',
      "the new project's own npm install (file: dependency), wall / CPU",
      `${Math.round(own.ms)} ms / ${own.cpu.toFixed(1)} s`,
      '',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
