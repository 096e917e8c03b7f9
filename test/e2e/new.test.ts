// `framesmith new` driven through the real CLI: the template list, sizes, byte-for-byte copies,
// the non-empty-folder rules, package.json merging, and a clear error for every bad input.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../src/scaffold/create-project.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'framesmith.js');
const TEMPLATES = ['blank', 'captions', 'data-chart', 'logo-reveal', 'lower-third', 'social-promo', 'title-card'];
// Run from this clone, `new` depends on the clone's folder (npm links to it).
const FROM_CLONE = `file:${realpathSync(REPO)}`;

function cli(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const temp = () => mkdtempSync(join(tmpdir(), 'framesmith-new-'));
const read = (...p: string[]) => readFileSync(join(...p), 'utf8');

describe('framesmith new --list', () => {
  it('prints every template with aspect, duration and description', () => {
    const r = cli(['new', '--list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(TEMPLATES);
    expect(lines[0]).toMatch(/^blank\s+16:9\s+5s\s+\S/);
    expect(r.stdout).toMatch(/social-promo\s+9:16\s+12s/);
  });

  it('gives the same list as JSON', () => {
    const r = cli(['new', '--list', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(list.map((t) => t.name)).toEqual(TEMPLATES);
    for (const t of list) {
      expect(t).toMatchObject({ aspects: ['16:9', '9:16', '1:1'] });
      expect(typeof t.description).toBe('string');
      expect(t.duration).toBeGreaterThan(0);
    }
  });
});

describe('framesmith new <dir>', () => {
  it('uses blank without a terminal, writes package.json scripts and prints the next steps', () => {
    const dir = join(temp(), 'my vidéo');
    const r = cli(['new', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(dir);
    expect(r.stderr).toContain('from "blank"');
    expect(r.stderr).toContain(`cd '${dir}'`);
    expect(r.stderr).toContain(`framesmith dependency: ${FROM_CLONE} (the framesmith folder this command ran from; npm links to it)`);
    expect(r.stderr).toContain('npm install');
    expect(r.stderr).toContain('npm run dev');
    expect(read(dir, 'index.html')).toContain('data-composition-id="main"');
    const pkg = JSON.parse(read(dir, 'package.json'));
    expect(pkg).toMatchObject({
      name: 'my-video',
      private: true,
      scripts: { dev: 'framesmith dev', build: 'framesmith build', render: 'framesmith render' },
      devDependencies: { framesmith: FROM_CLONE },
    });
    expect(existsSync(join(dir, 'template.json'))).toBe(false);
    expect(read(dir, 'vendor', 'GSAP-LICENSE.txt')).toMatch(/GSAP \d+\.\d+\.\d+/);
    expect(read(dir, 'fonts', 'LICENSE-inter.txt')).toContain('SIL Open Font License');
  });

  it('re-sizes only data-width/data-height, also in sub-compositions, and doubles them for 4k', () => {
    const dir = join(temp(), 'promo');
    const r = cli(['new', dir, '--template', 'social-promo', '--aspect', '16:9', '--resolution', '4k', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      template: 'social-promo',
      width: 3840,
      height: 2160,
      aspect: '16:9',
      resolution: '4k',
    });
    for (const file of [
      'index.html',
      'compositions/hook.html',
      'compositions/feature.html',
      'compositions/proof.html',
      'compositions/cta.html',
    ]) {
      const original = read(REPO, 'templates', 'social-promo', file);
      const expected = original.replace(/data-width="1080"(\s+)data-height="1920"/g, 'data-width="3840"$1data-height="2160"');
      expect(expected).not.toBe(original);
      expect(read(dir, file)).toBe(expected);
    }
    expect(readFileSync(join(dir, 'assets', 'plan.svg'))).toEqual(
      readFileSync(join(REPO, 'templates', 'social-promo', 'assets', 'plan.svg')),
    );
  });

  it('refuses a non-empty folder, naming what it would overwrite, and writes nothing', () => {
    const dir = temp();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'index.html'), '<p>my page</p>');
    const r = cli(['new', dir, '--template', 'title-card']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not empty');
    expect(r.stderr).toContain('--force');
    expect(r.stderr).toContain('index.html');
    expect(read(dir, 'index.html')).toBe('<p>my page</p>');
    expect(existsSync(join(dir, 'README.md'))).toBe(false);
  });

  it('with --force replaces only template files, keeps the rest and merges package.json', () => {
    const dir = temp();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'index.html'), '<p>my page</p>');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'keep-me', license: 'MIT', scripts: { test: 'echo ok' } }));
    const r = cli(['new', dir, '--template', 'lower-third', '--force']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('replaced index.html');
    expect(read(dir, 'notes.txt')).toBe('mine');
    expect(read(dir, 'index.html')).toContain('data-composition-id="lower-third"');
    const pkg = JSON.parse(read(dir, 'package.json'));
    expect(pkg).toMatchObject({ name: 'keep-me', license: 'MIT', scripts: { test: 'echo ok', dev: 'framesmith dev' } });
    expect(pkg.devDependencies.framesmith).toBe(FROM_CLONE);
  });

  it('is usable as a function', async () => {
    const dir = join(temp(), 'chart');
    const result = await createProject({ dir, template: 'data-chart', aspect: '1:1' });
    expect(result).toMatchObject({
      template: 'data-chart',
      width: 1080,
      height: 1080,
      duration: 8,
      packageJson: 'created',
      overwritten: [],
    });
    expect(result.files).toContain('fonts/space-grotesk-latin-wght-normal.woff2');
    for (const f of result.files) expect(existsSync(join(dir, f))).toBe(true);
  });
});

describe('framesmith new: bad input', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'an unknown template, listing the known ones',
      ['--template', 'nope'],
      /Unknown template "nope"\. \[[\s\S]*blank, captions, data-chart/,
    ],
    [
      'a misspelt template, suggesting the right one',
      ['--template', 'titlecard'],
      /Unknown template "titlecard"\. Did you mean "title-card"\?/,
    ],
    ['a bad aspect', ['--aspect', '4:3'], /--aspect must be one of 16:9, 9:16, 1:1, got "4:3"\. \[invalid_option\]/],
    ['a bad resolution', ['--resolution', '8k'], /--resolution must be one of 1080p, 4k, got "8k"\. \[invalid_option\]/],
    ['a misspelt flag', ['--aspcet', '1:1'], /Unknown option --aspcet/],
  ];
  for (const [what, args, message] of cases) {
    it(`rejects ${what}`, () => {
      const dir = join(temp(), 'x');
      const r = cli(['new', dir, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(dir)).toBe(false);
    });
  }

  it('rejects a missing folder argument', () => {
    const r = cli(['new']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Missing the folder to create');
  });

  it('rejects a target that is a file, and a parent that is a file', () => {
    const base = temp();
    writeFileSync(join(base, 'f'), 'x');
    const a = cli(['new', join(base, 'f')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('is a file, not a folder');
    const b = cli(['new', join(base, 'f', 'sub')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/f is a file, not a folder/);
    expect(read(base, 'f')).toBe('x');
  });

  it('rejects a read-only folder, writing nothing', () => {
    const base = temp();
    const locked = join(base, 'locked');
    mkdirSync(locked);
    let r;
    if (process.getuid?.() === 0) {
      // root may write through any mode bits: make the folder a read-only file system instead,
      // in a mount namespace of this command only.
      const script = 'mount -t tmpfs -o ro tmpfs "$1" && exec "$2" "$3" new "$1/proj"';
      r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', locked, process.execPath, BIN], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(`Cannot write to ${locked}: the file system is read-only.`);
    } else {
      chmodSync(locked, 0o555);
      r = cli(['new', join(locked, 'proj')]);
      chmodSync(locked, 0o755);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Cannot write to ${locked}: permission denied.`);
    }
    expect(r.stderr).toContain('hint: Pick a folder you can write to');
    expect(existsSync(join(locked, 'proj'))).toBe(false);
  });
});

describe('framesmith new inside another npm project', () => {
  it('in a workspace root that claims the folder, says to install at the root', () => {
    const root = temp();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'studio', private: true, workspaces: ['videos/*'] }));
    const r = cli(['new', 'videos/q3', '--template', 'data-chart'], root);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('videos/q3 is a workspace of the npm project at ');
    expect(r.stderr).toContain('(its workspaces include "videos/*"): npm installs its dependencies at that root.');
    expect(r.stderr).toMatch(/Next:\n {2}cd \S+ && npm install\n {2}npm run dev -w videos\/q3/);
    const json = JSON.parse(cli(['new', 'videos/q4', '--json'], root).stdout);
    expect(json.enclosing).toEqual({ dir: root, workspaceRoot: { dir: root, pattern: 'videos/*', relativePath: 'videos/q4' } });
  });

  it('in a plain npm project (or one whose workspaces do not include it), installs in the new folder', () => {
    const root = temp();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'site', private: true, workspaces: ['packages/*'] }));
    const r = cli(['new', 'clips/intro'], root);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Inside the npm project at ${root}: this project gets its own package.json and node_modules.`);
    expect(r.stderr).toMatch(/Next:\n {2}cd clips\/intro\n {2}npm install/);
  });

  it('keeps a framesmith dependency the package.json already has (with --force)', () => {
    const dir = temp();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'mine', dependencies: { framesmith: '^9.9.9' } }));
    const r = cli(['new', dir, '--force']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('framesmith dependency: ^9.9.9 (already in package.json, kept)');
    const pkg = JSON.parse(read(dir, 'package.json'));
    expect(pkg.dependencies).toEqual({ framesmith: '^9.9.9' });
    expect(pkg.devDependencies).toBeUndefined();
  });
});
