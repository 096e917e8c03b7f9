/**
 * The cloud commands' exit codes under the names the public `framesmith/cloud` API has always
 * given them. They are the same numbers as `EXIT` (src/core/exit-codes.ts, which framesmith's own
 * code uses and docs/errors.md describes); `other` is `EXIT.failed`.
 */
import { EXIT } from '../core/exit-codes.js';

export const CLOUD_EXIT = {
  /** Anything not listed below. */
  other: EXIT.failed,
  /** A bad flag or parameter, caught locally or answered 400/413 by the API. */
  usage: EXIT.usage,
  /** No key, or the key was rejected (401/403). */
  auth: EXIT.auth,
  /** The render, asset or endpoint does not exist (404). */
  notFound: EXIT.notFound,
  /** The account has no credits left (402). */
  credits: EXIT.credits,
  /** The API stayed unavailable after retries: 429, 5xx, dropped connections, timeouts. */
  unavailable: EXIT.unavailable,
  /** The render ended with status `failed`. */
  renderFailed: EXIT.renderFailed,
  /** `--timeout` passed while the render was still running (it goes on in the cloud). */
  timeout: EXIT.timeout,
  /** Ctrl+C. */
  cancelled: EXIT.cancelled,
} as const;
