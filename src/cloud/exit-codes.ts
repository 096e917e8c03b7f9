/**
 * Exit codes of the cloud commands, one per kind of outcome a script may want to branch on.
 * Listed with the other exit codes in src/core/exit-codes.ts (docs/errors.md is generated from it; a test keeps the two in step).
 */
export const CLOUD_EXIT = {
  /** Anything not listed below. */
  other: 1,
  /** A bad flag or parameter, caught locally or answered 400/413 by the API. */
  usage: 2,
  /** No key, or the key was rejected (401/403). */
  auth: 3,
  /** The render, asset or endpoint does not exist (404). */
  notFound: 4,
  /** The account has no credits left (402). */
  credits: 5,
  /** The API stayed unavailable after retries: 429, 5xx, dropped connections, timeouts. */
  unavailable: 6,
  /** The render ended with status `failed`. */
  renderFailed: 7,
  /** `--timeout` passed while the render was still running (it goes on in the cloud). */
  timeout: 8,
  /** Ctrl+C. */
  cancelled: 130,
} as const;
