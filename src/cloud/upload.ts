/**
 * Getting the project zip to HeyGen. Small zips (≤ INLINE_MAX_BYTES, 5 MB) travel inline as
 * base64 in the create request: one call, nothing to clean up, and a JSON body of at most ~6.7 MB.
 * Larger zips use the direct upload (create → PUT to the presigned URL → complete), streamed from
 * disk with progress, so memory stays flat whatever the size.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import type { CloudClient } from './client.js';
import { EXIT } from '../core/exit-codes.js';
import { cleanServerText } from './api-key.js';
import { sendWithRetry } from './http.js';
import { refuseLink } from './net-policy.js';
import { transferError } from './errors.js';
import { send } from './transport.js';
import type { ProjectInput } from './types.js';

/** Zips up to this size are sent inline as base64. */
export const INLINE_MAX_BYTES = 5 * 1024 * 1024;
/** The API's direct-upload limit. */
export const DIRECT_UPLOAD_MAX_BYTES = 209_715_200;
/** The simple multipart upload's limit. */
export const SIMPLE_UPLOAD_MAX_BYTES = 32 * 1024 * 1024;

export interface UploadProgress {
  phase: 'hash' | 'upload' | 'complete';
  sentBytes: number;
  totalBytes: number;
}

export interface UploadProjectOptions {
  onProgress?(p: UploadProgress): void;
  signal?: AbortSignal;
  /** Override the base64 threshold (0 forces a direct upload). */
  inlineMaxBytes?: number;
}

export interface UploadedProject {
  project: ProjectInput;
  method: 'base64' | 'direct';
  sizeBytes: number;
  sha256: string;
  assetId: string | null;
}

/** SHA-256 (hex) of a file, streamed. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function zipSize(zipPath: string): Promise<number> {
  let size: number;
  try {
    size = (await stat(zipPath)).size;
  } catch {
    throw new FramesmithError('zip_not_found', `The project zip ${zipPath} does not exist.`, {
      hint: 'Build it with `framesmith build`, or pass the path of an existing zip.',
      exitCode: EXIT.usage,
    });
  }
  if (size === 0)
    throw new FramesmithError('zip_empty', `The project zip ${zipPath} is empty.`, {
      hint: 'Rebuild it with `framesmith build`.',
      exitCode: EXIT.usage,
    });
  if (size > DIRECT_UPLOAD_MAX_BYTES) {
    throw new FramesmithError('cloud_too_large', `The project zip is ${(size / 1e6).toFixed(1)} MB; HeyGen accepts at most 200 MB.`, {
      hint: 'Compress videos and images or drop unused files (list them in .framesmithignore), then build again.',
      exitCode: EXIT.usage,
    });
  }
  return size;
}

/** PUTs a file to a presigned URL: no auth header, `upload_headers` verbatim, streamed with progress. */
async function putPresigned(
  client: CloudClient,
  url: string,
  headers: Record<string, string>,
  zipPath: string,
  size: number,
  opts: UploadProjectOptions,
): Promise<void> {
  const policy = await client.http.linkPolicy();
  const refused = refuseLink(url, policy);
  if (refused) {
    throw new FramesmithError('cloud_link_refused', `HeyGen's upload link was not used: ${refused}.`, {
      hint: "Nothing was uploaded. Upload links must be https (or the API's own address for a local test server); check HEYGEN_API_URL.",
      exitCode: EXIT.failed,
    });
  }
  const all: Record<string, string> = { 'content-type': 'application/zip' };
  // The presigned signature covers these headers: send them exactly as given, names and values.
  for (const [k, v] of Object.entries(headers ?? {})) {
    for (const existing of Object.keys(all)) if (existing.toLowerCase() === k.toLowerCase()) delete all[existing];
    all[k] = String(v);
  }
  for (const k of Object.keys(all)) if (/^(x-api-key|authorization|content-length|host)$/i.test(k)) delete all[k];
  all['content-length'] = String(size);
  const { retry } = client.http;
  const { response } = await sendWithRetry(
    (signal) =>
      send({
        method: 'PUT',
        url: new URL(url),
        headers: all,
        body: () => createReadStream(zipPath),
        signal,
        policy,
        stall: { windowMs: retry.stallWindowMs, minBytes: retry.stallMinBytes },
        onSent: (sent) => opts.onProgress?.({ phase: 'upload', sentBytes: sent, totalBytes: size }),
      }),
    {
      label: 'PUT upload',
      ctx: client.http,
      signal: opts.signal,
      safeToRepeat: true,
      onNetworkError: (e, attempts) =>
        transferError(e, 'Uploading the project zip', attempts, [client.http.key.value()], 'Run the command again; nothing was submitted.'),
    },
  );
  if (response.status >= 200 && response.status < 300) {
    response.discard();
    return;
  }
  const text = cleanServerText((await response.text(64 * 1024).catch(() => '')).slice(0, 200), [client.http.key.value()]);
  throw new FramesmithError(
    'cloud_upload_failed',
    `Uploading the project zip failed: the storage answered ${response.status}${text ? ` (${text})` : ''}.`,
    {
      hint:
        response.status === 403
          ? 'The upload link expired or its signature did not match; run the command again for a fresh one.'
          : 'Run the command again; if it keeps failing, try a smaller zip.',
      exitCode: response.status === 413 ? EXIT.usage : EXIT.unavailable,
    },
  );
}

/**
 * Makes a project zip available to the renderer: inline base64 when ≤ `inlineMaxBytes` (5 MB),
 * otherwise the direct upload. Returns the `project` field for the create request.
 */
export async function uploadProjectZip(client: CloudClient, zipPath: string, opts: UploadProjectOptions = {}): Promise<UploadedProject> {
  const size = await zipSize(zipPath);
  const inlineMax = opts.inlineMaxBytes ?? INLINE_MAX_BYTES;
  if (size <= inlineMax) {
    const bytes = await readFile(zipPath, { signal: opts.signal });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    opts.onProgress?.({ phase: 'upload', sentBytes: size, totalBytes: size });
    return {
      project: { type: 'base64', media_type: 'application/zip', data: bytes.toString('base64') },
      method: 'base64',
      sizeBytes: size,
      sha256,
      assetId: null,
    };
  }
  opts.onProgress?.({ phase: 'hash', sentBytes: 0, totalBytes: size });
  const sha256 = await sha256File(zipPath, opts.signal);
  const created = await client.assets.createDirectUpload(
    { filename: basename(zipPath), content_type: 'application/zip', size_bytes: size, checksum_sha256: sha256 },
    { signal: opts.signal },
  );
  if (typeof created.max_bytes === 'number' && created.max_bytes > 0 && size > created.max_bytes) {
    throw new FramesmithError('cloud_too_large', `The project zip is ${size} bytes; this upload accepts at most ${created.max_bytes}.`, {
      hint: 'Make the project smaller and build again.',
      exitCode: EXIT.usage,
    });
  }
  await putPresigned(client, created.upload_url, created.upload_headers, zipPath, size, opts);
  opts.onProgress?.({ phase: 'complete', sentBytes: size, totalBytes: size });
  const done = await client.assets.complete(created.asset_id, { checksum_sha256: sha256 }, { signal: opts.signal });
  return { project: { type: 'asset_id', asset_id: done.asset_id }, method: 'direct', sizeBytes: size, sha256, assetId: done.asset_id };
}

/** Uploads any file ≤ 32 MB through the simple multipart route; returns the asset. */
export async function uploadAssetFile(client: CloudClient, path: string, opts: { signal?: AbortSignal; mimeType?: string } = {}) {
  const size = (await stat(path)).size;
  if (size > SIMPLE_UPLOAD_MAX_BYTES) {
    throw new FramesmithError(
      'cloud_too_large',
      `${basename(path)} is ${(size / 1e6).toFixed(1)} MB; the simple upload takes at most 32 MB.`,
      { hint: 'Use uploadProjectZip (direct upload) for larger files.', exitCode: EXIT.usage },
    );
  }
  const blob = new Blob([await readFile(path)], { type: opts.mimeType ?? 'application/octet-stream' });
  return client.assets.upload(blob, basename(path), { signal: opts.signal });
}
