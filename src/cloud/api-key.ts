/**
 * The credential the cloud client sends, and where it came from: an API key (`x-api-key`) or an
 * OAuth access token (`Authorization: Bearer`), the two ways HeyGen's own clients authenticate.
 * Order: `--api-key`, `--access-token` (not both), `HEYGEN_API_KEY`, `HEYGEN_ACCESS_TOKEN`, then
 * the same two names in the project's `.env`. An API key from the environment wins over a token
 * there, as in HeyGen's published clients. The secret is kept in a closure with a non-enumerable
 * getter, so logging or serialising the object shows only its source; `redact` scrubs it from
 * every message of the cloud code.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { FramesmithError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

export const API_KEY_ENV = 'HEYGEN_API_KEY';
export const ACCESS_TOKEN_ENV = 'HEYGEN_ACCESS_TOKEN';
export const API_URL_ENV = 'HEYGEN_API_URL';
export const DEFAULT_API_URL = 'https://api.heygen.com';

export type ApiKeySource = 'flag' | 'env' | 'dotenv' | 'option';
/** `api_key` goes in `x-api-key`; `access_token` (OAuth) in `Authorization: Bearer`. */
export type CredentialKind = 'api_key' | 'access_token';

/** A credential and where it was read from. `value()` returns the secret; nothing else exposes it. */
export interface ResolvedApiKey {
  readonly source: ApiKeySource;
  /** Human text for messages: `--api-key`, `the HEYGEN_API_KEY environment variable`, `/p/.env`. */
  readonly sourceLabel: string;
  /** Which kind of credential (default `api_key`). */
  readonly kind: CredentialKind;
  value(): string;
}

/** The word for the credential in messages: "API key" or "access token". */
export const credentialNoun = (c: Pick<ResolvedApiKey, 'kind'>) => (c.kind === 'access_token' ? 'access token' : 'API key');

/** The auth headers for a credential (HTTP header names are case-insensitive; lower case here). */
export function authHeaders(c: ResolvedApiKey): Record<string, string> {
  return c.kind === 'access_token' ? { authorization: `Bearer ${c.value()}` } : { 'x-api-key': c.value() };
}

/** Wraps a secret so that `console.log`, `JSON.stringify` and `util.inspect` never print it. */
export function wrapApiKey(key: string, source: ApiKeySource, sourceLabel: string, kind: CredentialKind = 'api_key'): ResolvedApiKey {
  const wrapped = { source, sourceLabel, kind } as ResolvedApiKey;
  Object.defineProperty(wrapped, 'value', { value: () => key, enumerable: false });
  Object.defineProperty(wrapped, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => `ResolvedApiKey(${kind}, ${sourceLabel})`,
    enumerable: false,
  });
  return Object.freeze(wrapped);
}

export interface ResolveApiKeyOptions {
  /** The `--api-key` flag value. */
  flag?: string;
  /** The `--access-token` flag value. */
  accessToken?: string;
  /** Environment to read `HEYGEN_API_KEY` / `HEYGEN_ACCESS_TOKEN` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Project folder whose `.env` is read last. */
  projectDir?: string;
}

function readDotenv(projectDir: string): { values: Record<string, string>; path: string } | null {
  const path = join(resolve(projectDir), '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // Node's own dotenv parser: quotes, `export`, comments and multi-line values as dotenv does.
  return { values: parseEnv(text) as Record<string, string>, path };
}

/** A secret that cannot travel in an HTTP header (control characters, spaces) is refused by name. */
function checkHeaderSafe(value: string, label: string, kind: CredentialKind): void {
  if (/[\u0000-\u0020\u007f-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) {
    throw new FramesmithError(
      'invalid_api_key',
      `The ${kind === 'access_token' ? 'access token' : 'API key'} read from ${label} contains spaces or control characters, so it cannot be sent.`,
      {
        hint: 'Copy the value again without quotes, spaces or line breaks.',
        exitCode: EXIT.auth,
      },
    );
  }
}

/**
 * Finds the credential (see the file header for the order). Throws `missing_api_key` (exit 3)
 * with every way to give one when none is set, and a usage error when both flags are given.
 */
export function resolveCredential(options: ResolveApiKeyOptions = {}): ResolvedApiKey {
  const env = options.env ?? process.env;
  const make = (value: string, source: ApiKeySource, label: string, kind: CredentialKind) => {
    checkHeaderSafe(value, label, kind);
    return wrapApiKey(value, source, label, kind);
  };
  for (const [flag, name] of [
    [options.flag, '--api-key'],
    [options.accessToken, '--access-token'],
  ] as const) {
    if (flag !== undefined && !flag.trim()) {
      throw new FramesmithError('missing_api_key', `${name} was given an empty value.`, {
        hint: `Pass the value after ${name}, or leave the flag out to use ${name === '--api-key' ? API_KEY_ENV : ACCESS_TOKEN_ENV}.`,
        exitCode: EXIT.auth,
      });
    }
  }
  if (options.flag !== undefined && options.accessToken !== undefined) {
    throw new FramesmithError('invalid_option', 'Give --api-key or --access-token, not both.', {
      hint: 'One credential per command: an API key, or an OAuth access token.',
      exitCode: EXIT.usage,
    });
  }
  if (options.flag !== undefined) return make(options.flag.trim(), 'flag', '--api-key', 'api_key');
  if (options.accessToken !== undefined) return make(options.accessToken.trim(), 'flag', '--access-token', 'access_token');
  const fromEnv = env[API_KEY_ENV]?.trim();
  if (fromEnv) return make(fromEnv, 'env', `the ${API_KEY_ENV} environment variable`, 'api_key');
  const tokenEnv = env[ACCESS_TOKEN_ENV]?.trim();
  if (tokenEnv) return make(tokenEnv, 'env', `the ${ACCESS_TOKEN_ENV} environment variable`, 'access_token');
  const dir = options.projectDir ?? process.cwd();
  const file = readDotenv(dir);
  const fileKey = file?.values[API_KEY_ENV]?.trim();
  if (file && fileKey) return make(fileKey, 'dotenv', file.path, 'api_key');
  const fileToken = file?.values[ACCESS_TOKEN_ENV]?.trim();
  if (file && fileToken) return make(fileToken, 'dotenv', `${file.path} (${ACCESS_TOKEN_ENV})`, 'access_token');
  throw new FramesmithError('missing_api_key', 'No HeyGen API key found.', {
    hint: `Set ${API_KEY_ENV}, add ${API_KEY_ENV}=... to ${join(resolve(dir), '.env')}, or pass --api-key (an OAuth token works too: --access-token or ${ACCESS_TOKEN_ENV}). Keys are at https://app.heygen.com/settings (API).`,
    exitCode: EXIT.auth,
  });
}

/** The API key only (flag, `HEYGEN_API_KEY`, `.env`): kept for callers that never use tokens. */
export function resolveApiKey(options: Omit<ResolveApiKeyOptions, 'accessToken'> = {}): ResolvedApiKey {
  const env = { ...(options.env ?? process.env), [ACCESS_TOKEN_ENV]: undefined };
  return resolveCredential({ ...options, env, accessToken: undefined });
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The API base URL: the option, then `HEYGEN_API_URL`, then the public API. Validated: https, or
 * plain http only to this machine (a local test server), so the key never crosses a network in
 * clear text.
 */
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
      exitCode: EXIT.usage,
    });
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
    throw new FramesmithError(
      'invalid_api_url',
      `${API_URL_ENV} is plain http to ${url.host}: the API key would cross the network unencrypted.`,
      {
        hint: `Use https://${url.host}${url.pathname === '/' ? '' : url.pathname} (plain http is accepted only for a server on this machine).`,
        exitCode: EXIT.usage,
      },
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new FramesmithError('invalid_api_url', `${API_URL_ENV} must be a plain base URL, without credentials, query or fragment.`, {
      hint: 'e.g. https://api.heygen.com',
      exitCode: EXIT.usage,
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

/**
 * Text the server sent, made safe to print: the secrets redacted, terminal escape sequences and
 * every control character removed (a title holding `\u001b[2J` or `\r` must not redraw the user's
 * terminal), bidirectional overrides dropped, and the length capped.
 */
export function cleanServerText(text: string, secrets: readonly string[], max = 2000): string {
  const noEscapes = text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '') // CSI sequences
    .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g, '') // OSC sequences (titles, links)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[\t\n]+/g, ' ');
  const clean = redact(noEscapes, secrets);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
