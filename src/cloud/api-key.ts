/**
 * Where the HeyGen API key comes from (`--api-key`, `HEYGEN_API_KEY`, or the project's `.env`), and
 * the redaction every message from the cloud code passes through. The key is kept in a closure
 * with a non-enumerable getter, so logging or serialising a `ResolvedApiKey` shows only its source.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { FramesmithError } from '../core/errors.js';
import { CLOUD_EXIT } from './exit-codes.js';

export const API_KEY_ENV = 'HEYGEN_API_KEY';
export const API_URL_ENV = 'HEYGEN_API_URL';
export const DEFAULT_API_URL = 'https://api.heygen.com';

export type ApiKeySource = 'flag' | 'env' | 'dotenv' | 'option';

/** A key and where it was read from. `value()` returns the key; nothing else exposes it. */
export interface ResolvedApiKey {
  readonly source: ApiKeySource;
  /** Human text for messages: `--api-key`, `the HEYGEN_API_KEY environment variable`, `/p/.env`. */
  readonly sourceLabel: string;
  value(): string;
}

/** Wraps a key so that `console.log`, `JSON.stringify` and `util.inspect` never print it. */
export function wrapApiKey(key: string, source: ApiKeySource, sourceLabel: string): ResolvedApiKey {
  const wrapped = { source, sourceLabel } as ResolvedApiKey;
  Object.defineProperty(wrapped, 'value', { value: () => key, enumerable: false });
  Object.defineProperty(wrapped, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => `ResolvedApiKey(${sourceLabel})`,
    enumerable: false,
  });
  return Object.freeze(wrapped);
}

export interface ResolveApiKeyOptions {
  /** The `--api-key` flag value. */
  flag?: string;
  /** Environment to read `HEYGEN_API_KEY` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Project folder whose `.env` is read last. */
  projectDir?: string;
}

function readDotenvKey(projectDir: string): { key: string; path: string } | null {
  const path = join(resolve(projectDir), '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // Node's own dotenv parser: quotes, `export`, comments and multi-line values as dotenv does.
  const parsed = parseEnv(text) as Record<string, string>;
  const key = parsed[API_KEY_ENV]?.trim();
  return key ? { key, path } : null;
}

/**
 * Finds the API key: the flag, then `HEYGEN_API_KEY`, then `HEYGEN_API_KEY=` in `<projectDir>/.env`.
 * Throws `missing_api_key` (exit 3) with the three ways to give one when none is set.
 */
export function resolveApiKey(options: ResolveApiKeyOptions = {}): ResolvedApiKey {
  const env = options.env ?? process.env;
  const flag = options.flag?.trim();
  if (options.flag !== undefined && !flag) {
    throw new FramesmithError('missing_api_key', '--api-key was given an empty value.', {
      hint: 'Pass the key after --api-key, or leave the flag out to use HEYGEN_API_KEY.',
      exitCode: CLOUD_EXIT.auth,
    });
  }
  if (flag) return wrapApiKey(flag, 'flag', '--api-key');
  const fromEnv = env[API_KEY_ENV]?.trim();
  if (fromEnv) return wrapApiKey(fromEnv, 'env', `the ${API_KEY_ENV} environment variable`);
  const dir = options.projectDir ?? process.cwd();
  const fromFile = readDotenvKey(dir);
  if (fromFile) return wrapApiKey(fromFile.key, 'dotenv', fromFile.path);
  throw new FramesmithError('missing_api_key', 'No HeyGen API key found.', {
    hint: `Set ${API_KEY_ENV}, add ${API_KEY_ENV}=... to ${join(resolve(dir), '.env')}, or pass --api-key. Keys are at https://app.heygen.com/settings (API).`,
    exitCode: CLOUD_EXIT.auth,
  });
}

/** The API base URL: the option, then `HEYGEN_API_URL`, then the public API. Validated. */
export function resolveBaseUrl(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = (explicit ?? env[API_URL_ENV] ?? DEFAULT_API_URL).trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FramesmithError('invalid_api_url', `${API_URL_ENV} is not an http(s) URL: "${raw}".`, {
      hint: `Unset ${API_URL_ENV} to use ${DEFAULT_API_URL}, or set it to a full URL such as https://api.heygen.com.`,
      exitCode: CLOUD_EXIT.usage,
    });
  }
  return raw.replace(/\/+$/, '');
}

/** Replaces every occurrence of each secret in `text` with `***`. Secrets shorter than 4 chars are ignored. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}
