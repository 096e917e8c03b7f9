/**
 * The one file-access policy, as a function: which names are refused, and what a path really
 * reaches once every symlink on the way is resolved (each kind of secret behind an ordinary name).
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProjectPath, checkProjectPathSync, pathRefusal, segmentRefusal } from '../../src/security/file-policy.js';
import { tempDir } from '../helpers/fixtures.js';
import { INDIRECT, plantSecrets, SECRETS } from './helpers.js';

describe('names', () => {
  it.each(['.env', '.env.local', '.env.production', '.npmrc', '.git', '.ssh', '.aws', '.netrc', '.DS_Store', '.htpasswd'])(
    'refuses the dotfile %s',
    (name) => {
      expect(segmentRefusal(name)).toBe('dotfile');
    },
  );
  it.each([
    'id_rsa',
    'id_ed25519',
    'id_rsa.pub',
    'server.key',
    'cert.pem',
    'CERT.PEM',
    'store.p12',
    'store.pfx',
    'release.jks',
    'app.keystore',
    'putty.ppk',
    'vault.kdbx',
    'prod.env',
    'npmrc',
    'credentials',
    'secrets.json',
    'ca.crt',
  ])('refuses the secret %s', (name) => {
    expect(segmentRefusal(name)).toBe('secret');
  });
  it.each(['index.html', 'fonts', 'inter.woff2', 'env.js', 'keyframes.css', 'monkey.png', 'environment.json', 'id.json', 'README.md'])(
    'allows %s',
    (name) => {
      expect(segmentRefusal(name)).toBeNull();
    },
  );
  it('judges every segment, with either separator', () => {
    expect(pathRefusal('assets/.git/config')).toMatchObject({ reason: 'dotfile', detail: '.git' });
    expect(pathRefusal('a\\.env')).toMatchObject({ reason: 'dotfile', detail: '.env' });
    expect(pathRefusal('keys/id_rsa/readme.txt')).toMatchObject({ reason: 'secret', detail: 'id_rsa' });
    expect(pathRefusal('css/app.css')).toBeNull();
  });
});

describe('real paths', () => {
  const setup = () => {
    const parent = tempDir();
    const dir = join(parent, 'project');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    mkdirSync(join(dir, 'img'), { recursive: true });
    writeFileSync(join(dir, 'img', 'real.png'), 'png');
    plantSecrets(dir);
    return realpathSync(dir);
  };

  it.each(SECRETS.map((s) => [s.kind, s.link]))('refuses a link with an ordinary name to %s (%s)', async (_kind, link) => {
    const root = setup();
    const checked = await checkProjectPath(root, link);
    expect(checked).toMatchObject({ ok: false, missing: false });
    expect(checkProjectPathSync(root, link)).toMatchObject({ ok: false, missing: false });
  });

  it.each(INDIRECT.map((s) => [s.kind, s.link]))('refuses a secret reached through %s (%s)', async (_kind, link) => {
    const root = setup();
    expect(await checkProjectPath(root, link)).toMatchObject({ ok: false, missing: false });
  });

  it('allows ordinary files, also through a link inside the project, and says when a file is missing', async () => {
    const root = setup();
    expect(await checkProjectPath(root, 'index.html')).toMatchObject({ ok: true, rel: 'index.html' });
    expect(await checkProjectPath(root, 'img/real.png')).toMatchObject({ ok: true, rel: 'img/real.png' });
    expect(await checkProjectPath(root, 'img/none.png')).toEqual({ ok: false, missing: true });
  });
});

describe('what answers and budgets show', () => {
  it('an error message fit for HTTP has project paths relative and every other absolute path hidden', async () => {
    const { publicMessage } = await import('../../src/dev/request-guard.js');
    expect(publicMessage('Failed to resolve "x" from /home/me/video/js/a.js', '/home/me/video')).toBe('Failed to resolve "x" from js/a.js');
    expect(publicMessage('The request id "/etc/passwd?raw" is outside', '/home/me/video')).toBe('The request id "<path>" is outside');
    expect(publicMessage('open C:\\Users\\me\\secret.txt failed', '/home/me/video')).toBe('open <path> failed');
  });

  it('script nesting is measured past strings, comments and regular expressions', async () => {
    const { bracketDepthOver } = await import('../../src/security/budgets.js');
    const deep = `${'('.repeat(201)}1${')'.repeat(201)}`;
    expect(bracketDepthOver(deep, 200, { js: true })).toMatchObject({ depth: 201, line: 1 });
    const noise = `const a = "((((";\n// ((((\n/* [[[[ */\nconst r = /[(]+\\(/g;\nconst t = \`{{{{\`;\n`.repeat(100);
    expect(bracketDepthOver(noise, 2, { js: true })).toBeNull();
  });
});
