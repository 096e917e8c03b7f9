import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveApiKey, resolveBaseUrl, redact } from '../../../src/cloud/api-key.js';
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
    expect(resolveApiKey({ flag: 'from-flag-1234', env: { HEYGEN_API_KEY: 'from-env-1234' }, projectDir: dir }).value()).toBe('from-flag-1234');
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

describe('resolveBaseUrl and redact', () => {
  it('reads HEYGEN_API_URL, strips trailing slashes and refuses non-http URLs', () => {
    expect(resolveBaseUrl(undefined, {})).toBe('https://api.heygen.com');
    expect(resolveBaseUrl(undefined, { HEYGEN_API_URL: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
    expect(() => resolveBaseUrl(undefined, { HEYGEN_API_URL: 'ftp://x' })).toThrow(/HEYGEN_API_URL/);
    expect(() => resolveBaseUrl(undefined, { HEYGEN_API_URL: 'not a url' })).toThrow(/not an http/);
  });
  it('replaces every occurrence of a secret', () => {
    expect(redact(`a ${KEY} b ${KEY}`, [KEY])).toBe('a *** b ***');
  });
});
