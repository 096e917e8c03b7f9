/**
 * Turns API answers and transport failures into FramesmithErrors a user can act on. Every text
 * from the server goes through `redact` first: a server that echoes a header back must not make
 * the key appear in a message. No raw response or request object is attached to the error.
 */
import { FramesmithError } from '../core/errors.js';
import type { ApiErrorBody } from './types.js';
import { redact } from './api-key.js';
import { CLOUD_EXIT } from './exit-codes.js';

/** What the client knows about the request that failed, for the message. */
export interface RequestContext {
  method: string;
  /** Path without query, e.g. `/v3/hyperframes/renders/hfr_1`. */
  path: string;
  /** The id the path names (render, asset or endpoint), for 404 messages. */
  resourceId?: string;
  resourceKind?: 'render' | 'asset' | 'webhook endpoint';
  /** Where the key was read from, for 401 messages. */
  keySource?: string;
  /** Secrets to scrub from every text. */
  secrets: readonly string[];
  /** Attempts made, for "after N attempts". */
  attempts?: number;
}

/** Reads `{"error": {...}}` from a body; tolerant of non-JSON bodies. */
export function parseErrorBody(text: string): ApiErrorBody {
  try {
    const parsed = JSON.parse(text) as { error?: ApiErrorBody };
    if (parsed && typeof parsed === 'object' && parsed.error && typeof parsed.error === 'object') return parsed.error;
  } catch {
    // fall through: proxies answer with HTML
  }
  return {};
}

function apiSays(body: ApiErrorBody, secrets: readonly string[]): string {
  const parts = [body.message, body.code ? `(${body.code})` : ''].filter(Boolean).join(' ');
  return parts ? ` The API said: ${redact(parts, secrets)}` : '';
}

/** Maps an HTTP error status and body to a FramesmithError. */
export function apiError(status: number, body: ApiErrorBody, ctx: RequestContext): FramesmithError {
  const says = apiSays(body, ctx.secrets);
  const what = `${ctx.method} ${ctx.path}`;
  const param = body.param ? redact(body.param, ctx.secrets) : null;
  const tries = ctx.attempts && ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
  switch (status) {
    case 400:
    case 422:
      return new FramesmithError('cloud_invalid_parameter', param ? `HeyGen rejected the parameter "${param}".${says}` : `HeyGen rejected the request ${what}.${says}`, {
        hint: param ? `Fix "${param}" (see \`framesmith render --help\`) and submit again.` : 'Check the flags against `framesmith render --help`.',
        exitCode: CLOUD_EXIT.usage,
      });
    case 401:
      return new FramesmithError('cloud_unauthorized', `HeyGen rejected the API key read from ${ctx.keySource ?? 'the configuration'}.${says}`, {
        hint: 'Check the key at https://app.heygen.com/settings (API) and set it again with --api-key, HEYGEN_API_KEY or the project .env.',
        exitCode: CLOUD_EXIT.auth,
      });
    case 402:
      return new FramesmithError('cloud_no_credits', `The HeyGen account has no credits left for this render.${says}`, {
        hint: 'Add credits or upgrade the plan in the HeyGen dashboard, then submit again. Drafts (--quality draft) and 1080p cost less than high/4k.',
        exitCode: CLOUD_EXIT.credits,
      });
    case 403:
      return new FramesmithError('cloud_forbidden', `The API key read from ${ctx.keySource ?? 'the configuration'} is not allowed to ${what}.${says}`, {
        hint: 'Use a key of the account that owns this resource, with API access enabled.',
        exitCode: CLOUD_EXIT.auth,
      });
    case 404: {
      const kind = ctx.resourceKind ?? 'resource';
      const id = ctx.resourceId ? ` "${redact(ctx.resourceId, ctx.secrets)}"` : '';
      return new FramesmithError('cloud_not_found', `No ${kind}${id} exists on this account (it may have been deleted).${says}`, {
        hint: kind === 'render' ? 'List your renders with `framesmith renders list`.' : 'Check the id; list them with the matching `list` command.',
        exitCode: CLOUD_EXIT.notFound,
      });
    }
    case 409:
      return new FramesmithError('cloud_conflict', `HeyGen is still processing an earlier request for ${what}.${says}`, {
        hint: 'Wait a few seconds and try again with the same --idempotency-key.',
        exitCode: CLOUD_EXIT.unavailable,
      });
    case 413:
      return new FramesmithError('cloud_too_large', `The project is too large for HeyGen.${says}`, {
        hint: 'Keep the zip under 200 MB: compress videos and images, drop unused files (add them to .framesmithignore).',
        exitCode: CLOUD_EXIT.usage,
      });
    case 429:
      return new FramesmithError('cloud_rate_limited', `HeyGen kept answering "too many requests"${tries}.${says}`, {
        hint: 'Wait a minute and run the command again; with many renders, submit them as one --batch.',
        exitCode: CLOUD_EXIT.unavailable,
      });
    default:
      if (status >= 500) {
        return new FramesmithError('cloud_server_error', `HeyGen answered ${status} to ${what}${tries}.${says}`, {
          hint: 'This is on HeyGen\'s side; try again in a few minutes. A render already submitted keeps going: check `framesmith renders list`.',
          exitCode: CLOUD_EXIT.unavailable,
        });
      }
      return new FramesmithError('cloud_http_error', `HeyGen answered ${status} to ${what}.${says}`, { exitCode: CLOUD_EXIT.other });
  }
}

/** Maps a dropped connection, DNS failure or timeout to a FramesmithError (no raw cause attached). */
export function networkError(error: unknown, ctx: RequestContext, baseUrl: string, timedOut: boolean): FramesmithError {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  const detail = timedOut ? 'the request timed out' : `the connection failed${code ? ` (${code})` : ''}`;
  const tries = ctx.attempts && ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
  return new FramesmithError('cloud_unreachable', redact(`Could not reach HeyGen at ${baseUrl} for ${ctx.method} ${ctx.path}: ${detail}${tries}.`, ctx.secrets), {
    hint: 'Check the network (and HEYGEN_API_URL if you set it), then run the command again. A render already submitted keeps going.',
    exitCode: CLOUD_EXIT.unavailable,
  });
}
