/**
 * Turns API answers and transport failures into FramesmithErrors a user can act on. Every text
 * from the server goes through `cleanServerText` first (the key redacted, control characters
 * removed): a server that echoes a header back must not make the key appear in a message, and a
 * message holding terminal escapes must not redraw the user's terminal. No raw response or request
 * object is attached to the error.
 */
import { FramesmithError } from '../core/errors.js';
import type { ErrorCode } from '../core/error-catalog.js';
import type { ApiErrorBody } from './types.js';
import { cleanServerText } from './api-key.js';
import { EXIT } from '../core/exit-codes.js';
import { TransportError } from './transport.js';

/** What the client knows about the request that failed, for the message. */
export interface RequestContext {
  method: string;
  /** Path without query, e.g. `/v3/hyperframes/renders/hfr_1`. */
  path: string;
  /** The id the path names (render, asset or endpoint), for 404 messages. */
  resourceId?: string;
  resourceKind?: 'render' | 'asset' | 'webhook endpoint';
  /** Where the credential was read from, for 401 messages. */
  keySource?: string;
  /** "API key" or "access token". */
  credential?: string;
  /** Secrets to scrub from every text. */
  secrets: readonly string[];
  /** Attempts made, for "after N attempts". */
  attempts?: number;
  /** What to run to pick the work up again (a render id to fetch, an idempotency key to reuse). */
  resumeHint?: string;
}

/** Hints for the codes HeyGen's published clients name (their wording is theirs; these are ours). */
const CODE_HINTS: Record<string, string> = {
  hyperframes_project_too_large:
    'The zip is over the 200 MB limit: compress videos and images or list unused files in .framesmithignore, then build again.',
  hyperframes_project_invalid: 'The zip is missing its entry or is not a zip: run `framesmith build` and check --composition.',
  hyperframes_render_not_found:
    'The render was deleted or never existed on this account: `framesmith renders list` shows the ones that do.',
  request_in_progress:
    'An earlier request with the same Idempotency-Key is still running: wait a few seconds and run the same command again.',
};

interface ApiErrorFields {
  status: number;
  apiCode?: string;
  param?: string;
  docUrl?: string;
  requestId?: string;
  /** From Retry-After, for 429 (ms). */
  retryAfterMs?: number | null;
}

/**
 * An error answer of the API, with the fields of its envelope (all cleaned). The hint is the
 * advice for HeyGen's code when there is one, else the caller's, followed by the `doc_url` and the
 * request id, so a support question can name the exact request.
 */
export class CloudApiError extends FramesmithError {
  readonly status: number;
  readonly apiCode?: string;
  readonly param?: string;
  readonly docUrl?: string;
  readonly requestId?: string;
  readonly retryAfterMs: number | null;

  constructor(code: ErrorCode, message: string, options: ConstructorParameters<typeof FramesmithError>[2] & ApiErrorFields) {
    const advice = options.apiCode && CODE_HINTS[options.apiCode] ? CODE_HINTS[options.apiCode] : options.hint;
    const extra = [options.docUrl ? `Docs: ${options.docUrl}` : '', options.requestId ? `Request id: ${options.requestId}.` : '']
      .filter(Boolean)
      .join(' ');
    super(code, message, { ...options, hint: [advice, extra].filter(Boolean).join(' ') || undefined });
    this.status = options.status;
    this.apiCode = options.apiCode;
    this.param = options.param;
    this.docUrl = options.docUrl;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** Reads `{"error": {...}}` from a body; tolerant of non-JSON bodies (proxies answer with HTML). */
export function parseErrorBody(text: string): ApiErrorBody {
  try {
    const parsed = JSON.parse(text) as { error?: ApiErrorBody };
    if (parsed && typeof parsed === 'object' && parsed.error && typeof parsed.error === 'object') return parsed.error;
  } catch {
    // fall through
  }
  return {};
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Maps an HTTP error status and body to a FramesmithError (a CloudApiError). */
export function apiError(
  status: number,
  body: ApiErrorBody,
  ctx: RequestContext,
  meta: { requestId?: string | null; retryAfterMs?: number | null } = {},
): CloudApiError {
  const clean = (v: unknown, max = 500) => (str(v) ? cleanServerText(v as string, ctx.secrets, max) : undefined);
  const apiCode = clean(body.code, 80);
  const apiMessage = clean(body.message, 1000);
  const param = clean(body.param, 200);
  const docUrl = str(body.doc_url) && /^https:\/\/[^\s]+$/.test(body.doc_url as string) ? clean(body.doc_url, 300) : undefined;
  const fields: ApiErrorFields = { status, apiCode, param, docUrl, requestId: clean(meta.requestId, 100), retryAfterMs: meta.retryAfterMs };
  const says = apiMessage || apiCode ? ` The API said: ${[apiMessage, apiCode ? `(${apiCode})` : ''].filter(Boolean).join(' ')}` : '';
  const what = `${ctx.method} ${ctx.path}`;
  const tries = ctx.attempts && ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
  const cred = ctx.credential ?? 'API key';
  const from = ctx.keySource ?? 'the configuration';
  switch (status) {
    case 400:
    case 422:
      return new CloudApiError(
        'cloud_invalid_parameter',
        param ? `HeyGen rejected the parameter "${param}".${says}` : `HeyGen rejected the request ${what}.${says}`,
        {
          ...fields,
          hint: param
            ? `Fix "${param}" (see \`framesmith render --help\`) and submit again.`
            : 'Check the flags against `framesmith render --help`.',
          exitCode: EXIT.usage,
        },
      );
    case 401:
      return new CloudApiError('cloud_unauthorized', `HeyGen rejected the ${cred} read from ${from}.${says}`, {
        ...fields,
        hint:
          cred !== 'access token'
            ? 'Check the key at https://app.heygen.com/settings (API) and set it again with --api-key, HEYGEN_API_KEY or the project .env.'
            : 'OAuth access tokens expire: get a fresh one and pass it with --access-token or HEYGEN_ACCESS_TOKEN (or use an API key).',
        exitCode: EXIT.auth,
      });
    case 402:
      return new CloudApiError('cloud_no_credits', `The HeyGen account has no credits left for this render.${says}`, {
        ...fields,
        hint: 'Add credits or upgrade the plan in the HeyGen dashboard, then submit again. Drafts (--quality draft) and 1080p cost less than high/4k.',
        exitCode: EXIT.credits,
      });
    case 403:
      return new CloudApiError('cloud_forbidden', `The ${cred} read from ${from} is not allowed to ${what}.${says}`, {
        ...fields,
        hint: 'Use a credential of the account that owns this resource, with API access enabled.',
        exitCode: EXIT.auth,
      });
    case 404: {
      const kind = ctx.resourceKind ?? 'resource';
      const id = ctx.resourceId ? ` "${cleanServerText(ctx.resourceId, ctx.secrets, 200)}"` : '';
      return new CloudApiError('cloud_not_found', `No ${kind}${id} exists on this account (it may have been deleted).${says}`, {
        ...fields,
        hint:
          kind === 'render'
            ? 'List your renders with `framesmith renders list`.'
            : 'Check the id; list them with the matching `list` command.',
        exitCode: EXIT.notFound,
      });
    }
    case 409:
      return new CloudApiError('cloud_conflict', `HeyGen is still processing an earlier request for ${what}${tries}.${says}`, {
        ...fields,
        hint: !ctx.resumeHint ? 'Wait a few seconds and run the same command again (with the same --idempotency-key).' : ctx.resumeHint,
        exitCode: EXIT.unavailable,
      });
    case 413:
      return new CloudApiError('cloud_too_large', `The project is too large for HeyGen.${says}`, {
        ...fields,
        hint: 'Keep the zip under 200 MB: compress videos and images, drop unused files (add them to .framesmithignore).',
        exitCode: EXIT.usage,
      });
    case 429:
      return new CloudApiError('cloud_rate_limited', `HeyGen kept answering "too many requests"${tries}.${says}`, {
        ...fields,
        hint: `Wait a minute and run the command again; a batch submits at most --concurrency renders at a time (default 10).${ctx.resumeHint ? ` ${ctx.resumeHint}` : ''}`,
        exitCode: EXIT.unavailable,
      });
    default:
      if (status >= 500) {
        return new CloudApiError('cloud_server_error', `HeyGen answered ${status} to ${what}${tries}.${says}`, {
          ...fields,
          hint: !ctx.resumeHint
            ? "This is on HeyGen's side; try again in a few minutes. A render already submitted keeps going: check `framesmith renders list`."
            : ctx.resumeHint,
          exitCode: EXIT.unavailable,
        });
      }
      return new CloudApiError('cloud_http_error', `HeyGen answered ${status} to ${what}.${says}`, {
        ...fields,
        hint: ctx.resumeHint,
        exitCode: EXIT.failed,
      });
  }
}

/** Maps a dropped connection, DNS failure or timeout to a FramesmithError (no raw cause attached). */
export function networkError(error: unknown, ctx: RequestContext, baseUrl: string): FramesmithError {
  const t = error instanceof TransportError ? error : null;
  const code = t?.code ?? (error as { code?: string })?.code;
  const detail =
    t?.kind === 'timeout'
      ? `the answer did not arrive in full in time (${t.message})`
      : t?.kind === 'stalled'
        ? `the transfer stalled (${t.message})`
        : t?.kind === 'too_large'
          ? t.message
          : `the connection failed${code ? ` (${code})` : ''}`;
  const tries = ctx.attempts && ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
  return new FramesmithError(
    'cloud_unreachable',
    cleanServerText(`Could not reach HeyGen at ${baseUrl} for ${ctx.method} ${ctx.path}: ${detail}${tries}.`, ctx.secrets),
    {
      hint: !ctx.resumeHint
        ? 'Check the network (and HEYGEN_API_URL if you set it), then run the command again. A render already submitted keeps going.'
        : ctx.resumeHint,
      exitCode: EXIT.unavailable,
    },
  );
}

/**
 * A presigned transfer (upload PUT, download GET) that did not complete: `what` names it
 * ("Downloading render hfr_1"), `resume` says how to pick it up again.
 */
export function transferError(error: unknown, what: string, attempts: number, secrets: readonly string[], resume: string): FramesmithError {
  const t = error instanceof TransportError ? error : null;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (t?.kind === 'refused') {
    return new FramesmithError('cloud_link_refused', cleanServerText(`${what} was refused before connecting: ${t.message}.`, secrets), {
      hint: `framesmith fetches links only over https, and never from this machine, the local network or link-local addresses unless the API itself is there. ${resume}`,
      exitCode: EXIT.failed,
    });
  }
  const detail =
    t?.kind === 'stalled' || t?.kind === 'timeout' ? `it stalled (${t.message})` : `the connection failed${t?.code ? ` (${t.code})` : ''}`;
  return new FramesmithError('cloud_unreachable', cleanServerText(`${what} failed: ${detail}${tries}.`, secrets), {
    hint: resume,
    exitCode: EXIT.unavailable,
  });
}
