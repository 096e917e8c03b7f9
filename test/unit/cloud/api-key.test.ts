import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cleanServerText, resolveApiKey, resolveBaseUrl, resolveCredential, redact } from '../../../src/cloud/api-key.js';
import { FramesmithError } from '../../../src/core/errors.js';

const KEY = 'sk_live_SECRET_abcdef123456';

async function projectWithEnv(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-key-'));
  await writeFile(join(dir, '.env'), text);
  return dir;
}

describe('resolveApiKey', () => {
  it('prefers the flag, then HEYGEN_API_KEY, then the project .env', async () => {
    const dir = await projectWithEnv(`HEYGEN_API_KEY=from-dotenv-1234\n`);
    expect(resolveApiKey({ flag: 'from-flag-1234', env: { HEYGEN_API_KEY: 'from-env-1234' }, projectDir: dir }).value()).toBe(
      'from-flag-1234',
    );
    const env = resolveApiKey({ env: { HEYGEN_API_KEY: 'from-env-1234' }, projectDir: dir });
    expect([env.value(), env.source]).toEqual(['from-env-1234', 'env']);
    const file = resolveApiKey({ env: {}, projectDir: dir });
    expect([file.value(), file.source, file.sourceLabel]).toEqual(['from-dotenv-1234', 'dotenv', join(dir, '.env')]);
  });

  it('parses .env like dotenv: export, quotes, comments, other keys', async () => {
    const dir = await projectWithEnv(`# keys\nOTHER=1\nexport HEYGEN_API_KEY="${KEY}" # prod\nLAST='x'\n`);
    expect(resolveApiKey({ env: {}, projectDir: dir }).value()).toBe(KEY);
  });

  it('throws missing_api_key with exit 3 naming the three ways', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-key-'));
    const error = (() => {
      try {
        resolveApiKey({ env: {}, projectDir: dir });
      } catch (e) {
        return e as FramesmithError;
      }
    })();
    expect(error).toBeInstanceOf(FramesmithError);
    expect(error!.code).toBe('missing_api_key');
    expect(error!.exitCode).toBe(3);
    expect(error!.hint).toMatch(/HEYGEN_API_KEY.*\.env.*--api-key/);
    expect(() => resolveApiKey({ flag: '  ', env: {} })).toThrow(/empty/);
  });

  it('never shows the key when the resolved object is logged or serialised', () => {
    const resolved = resolveApiKey({ flag: KEY });
    expect(inspect(resolved, { showHidden: true, depth: 5 })).not.toContain(KEY);
    expect(JSON.stringify(resolved)).not.toContain(KEY);
    expect(String(Object.values(resolved))).not.toContain(KEY);
  });
});

describe('resolveCredential (API key or OAuth access token)', () => {
  const TOKEN = 'oauth_ACCESS_TOKEN_abcdef';
  it('order: --api-key, --access-token, HEYGEN_API_KEY, HEYGEN_ACCESS_TOKEN, then .env (key, then token)', async () => {
    const dir = await projectWithEnv(`HEYGEN_ACCESS_TOKEN=${TOKEN}\n`);
    const both = { HEYGEN_API_KEY: KEY, HEYGEN_ACCESS_TOKEN: TOKEN };
    expect(resolveCredential({ accessToken: TOKEN, env: both, projectDir: dir })).toMatchObject({
      kind: 'access_token',
      sourceLabel: '--access-token',
    });
    expect(resolveCredential({ env: both, projectDir: dir })).toMatchObject({
      kind: 'api_key',
      sourceLabel: 'the HEYGEN_API_KEY environment variable',
    });
    expect(resolveCredential({ env: { HEYGEN_ACCESS_TOKEN: TOKEN }, projectDir: dir })).toMatchObject({
      kind: 'access_token',
      sourceLabel: 'the HEYGEN_ACCESS_TOKEN environment variable',
    });
    const fromFile = resolveCredential({ env: {}, projectDir: dir });
    expect([fromFile.kind, fromFile.value(), fromFile.sourceLabel]).toEqual([
      'access_token',
      TOKEN,
      `${join(dir, '.env')} (HEYGEN_ACCESS_TOKEN)`,
    ]);
    expect(inspect(fromFile, { showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(fromFile)).not.toContain(TOKEN);
  });
  it('refuses both flags, empty values and values that cannot be a header', () => {
    expect(() => resolveCredential({ flag: KEY, accessToken: TOKEN, env: {} })).toThrow(/--api-key or --access-token, not both/);
    expect(() => resolveCredential({ accessToken: ' ', env: {} })).toThrow(/--access-token was given an empty value/);
    expect(() => resolveCredential({ env: { HEYGEN_ACCESS_TOKEN: 'abc\r\nX-Evil: 1' } })).toThrow(
      /HEYGEN_ACCESS_TOKEN environment variable contains spaces or control characters/,
    );
    expect(() => resolveCredential({ flag: 'sk_with space' })).toThrow(/contains spaces/);
  });
  it('resolveApiKey ignores HEYGEN_ACCESS_TOKEN (key-only callers)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-key-'));
    expect(() => resolveApiKey({ env: { HEYGEN_ACCESS_TOKEN: TOKEN }, projectDir: dir })).toThrow(/No HeyGen API key found/);
  });
});

describe('resolveBaseUrl, redact and cleanServerText', () => {
  it('reads HEYGEN_API_URL, strips trailing slashes and refuses non-http URLs', () => {
    expect(resolveBaseUrl(undefined, {})).toBe('https://api.heygen.com');
    expect(resolveBaseUrl(undefined, { HEYGEN_API_URL: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
    expect(resolveBaseUrl(undefined, { HEYGEN_API_URL: 'http://localhost:9' })).toBe('http://localhost:9');
    expect(() => resolveBaseUrl(undefined, { HEYGEN_API_URL: 'ftp://x' })).toThrow(/HEYGEN_API_URL/);
    expect(() => resolveBaseUrl(undefined, { HEYGEN_API_URL: 'not a url' })).toThrow(/not an http/);
  });
  it('refuses plain http to another machine (the key would cross the network in clear) and credentials in the URL', () => {
    expect(() => resolveBaseUrl(undefined, { HEYGEN_API_URL: 'http://api.heygen.com' })).toThrow(/plain http to api\.heygen\.com/);
    expect(() => resolveBaseUrl(undefined, { HEYGEN_API_URL: 'https://u:p@api.heygen.com' })).toThrow(/without credentials/);
  });
  it('cleans server text: escapes, control and bidi characters removed, secrets redacted, length capped', () => {
    expect(cleanServerText(`\u001b]8;;https://evil\u0007click\u001b]8;;\u0007 ${KEY}\r\n\u202enext\ttab`, [KEY])).toBe(
      'click *** next tab',
    );
    expect(cleanServerText('x'.repeat(50), [], 10)).toBe(`${'x'.repeat(10)}…`);
  });
  it('replaces every occurrence of a secret', () => {
    expect(redact(`a ${KEY} b ${KEY}`, [KEY])).toBe('a *** b ***');
  });
});
