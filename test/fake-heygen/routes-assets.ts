/**
 * Assets and the storage that stands in for S3. Direct upload: create → PUT to a presigned URL on
 * this same server (rejects auth headers, checks every upload header, the size and the checksum)
 * → complete (409 while "propagating", idempotent). Simple multipart upload ≤32 MB. Render media
 * are served at presigned GET URLs that also reject auth headers and expire on the fake clock.
 */
import { createHash } from 'node:crypto';
import { ASPECT_OF, FORMAT_OF, type Route, type RouteCtx } from './app.js';
import { checkPresigned, HttpError, invalid, presign, readBody, readJson, sendStorageError, slowBody } from './http-util.js';
import { idempotent } from './idempotency.js';
import { MIME } from './media.js';
import { newId } from './state.js';
import type { FakeAsset } from './types.js';

const MAX_DIRECT = 209_715_200;
const MAX_SIMPLE = 32 * 1024 * 1024;

const assetView = (a: FakeAsset) => ({
  asset_id: a.asset_id,
  url: `https://resource.example/assets/${a.asset_id}/${a.filename}`,
  mime_type: a.content_type,
  size_bytes: a.size_bytes,
});

/** The headers a PUT must carry, exactly as the create answer lists them. */
const uploadHeaders = (a: FakeAsset): Record<string, string> => ({
  'Content-Type': a.content_type,
  ...(a.checksum_sha256 ? { 'x-amz-checksum-sha256': Buffer.from(a.checksum_sha256, 'hex').toString('base64') } : {}),
  'x-amz-server-side-encryption': 'AES256',
});

/** Storage requests: no auth header allowed, valid unexpired signature required. Returns false after answering. */
function storageGate(ctx: RouteCtx, method: string): boolean {
  if (ctx.req.headers['x-api-key'] !== undefined || ctx.req.headers.authorization !== undefined) {
    sendStorageError(
      ctx.res,
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; presigned URLs must be requested without x-api-key or Authorization',
    );
    return false;
  }
  // The `expired` fault answers as if the link's lifetime had passed, without moving the clock (which would move renders too).
  const check =
    ctx.fault?.kind === 'expired' ? 'expired' : checkPresigned(ctx.app.state.presignSecret, method, ctx.url, ctx.app.state.clock);
  if (check !== 'ok') {
    sendStorageError(
      ctx.res,
      403,
      check === 'expired' ? 'AccessDenied' : 'SignatureDoesNotMatch',
      check === 'expired' ? 'Request has expired' : 'The request signature does not match',
    );
    return false;
  }
  return true;
}

export const assetRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/v3\/assets\/direct-uploads$/,
    name: 'assets.directUpload',
    auth: true,
    async handle(ctx) {
      const b = await readJson(ctx.req);
      return idempotent(ctx, b, async () => {
        if (typeof b.filename !== 'string' || !b.filename) throw invalid('filename', 'filename is required');
        if (typeof b.content_type !== 'string' || !b.content_type) throw invalid('content_type', 'content_type is required');
        if (!Number.isInteger(b.size_bytes) || (b.size_bytes as number) <= 0)
          throw invalid('size_bytes', 'size_bytes must be a positive integer');
        if ((b.size_bytes as number) > MAX_DIRECT)
          throw new HttpError(413, 'file_too_large', `size_bytes exceeds ${MAX_DIRECT}`, 'size_bytes');
        // Optional in HeyGen's schema; when given, the storage enforces it on the PUT.
        if (b.checksum_sha256 !== undefined && (typeof b.checksum_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(b.checksum_sha256)))
          throw invalid('checksum_sha256', 'checksum_sha256 must be 64 lower-case hex characters');
        const asset: FakeAsset = {
          asset_id: newId('asset'),
          filename: b.filename,
          content_type: b.content_type,
          size_bytes: b.size_bytes as number,
          checksum_sha256: (b.checksum_sha256 as string | undefined) ?? null,
          status: 'pending_upload',
          bytes: null,
          conflictsLeft: ctx.app.state.options.completeConflicts,
        };
        ctx.app.state.assets.set(asset.asset_id, asset);
        const expires = ctx.app.state.clock + 900;
        const upload_url = presign(ctx.app.state.presignSecret, ctx.app.baseUrl, 'PUT', `/_storage/uploads/${asset.asset_id}`, expires);
        return {
          status: 200,
          body: {
            data: {
              asset_id: asset.asset_id,
              upload_url,
              upload_headers: uploadHeaders(asset),
              expires_in_seconds: 900,
              max_bytes: MAX_DIRECT,
              status: 'pending_upload',
            },
          },
        };
      });
    },
  },
  {
    method: 'PUT',
    pattern: /^\/_storage\/uploads\/([^/]+)$/,
    name: 'storage.put',
    auth: false,
    async handle(ctx) {
      if (!storageGate(ctx, 'PUT')) return null;
      const asset = ctx.app.state.assets.get(ctx.params[0]);
      if (!asset) return (sendStorageError(ctx.res, 404, 'NoSuchUpload', 'Unknown upload'), null);
      for (const [name, value] of Object.entries(uploadHeaders(asset))) {
        if (ctx.req.headers[name.toLowerCase()] !== value)
          return (sendStorageError(ctx.res, 403, 'SignatureDoesNotMatch', `Header ${name} missing or changed`), null);
      }
      if (Number(ctx.req.headers['content-length']) !== asset.size_bytes)
        return (sendStorageError(ctx.res, 400, 'IncompleteBody', 'Content-Length must equal size_bytes'), null);
      const bytes = await readBody(ctx.req, MAX_DIRECT);
      if (bytes.length !== asset.size_bytes)
        return (sendStorageError(ctx.res, 400, 'IncompleteBody', 'Body size differs from size_bytes'), null);
      if (asset.checksum_sha256 && createHash('sha256').update(bytes).digest('hex') !== asset.checksum_sha256)
        return (sendStorageError(ctx.res, 400, 'BadDigest', 'The checksum does not match'), null);
      asset.checksum_sha256 ??= createHash('sha256').update(bytes).digest('hex');
      asset.bytes = bytes;
      if (asset.status === 'pending_upload') asset.status = 'uploaded';
      ctx.res.writeHead(200, { etag: `"${asset.checksum_sha256.slice(0, 32)}"`, 'content-length': 0 });
      ctx.res.end();
      return null;
    },
  },
  {
    method: 'POST',
    pattern: /^\/v3\/assets\/([^/]+)\/complete$/,
    name: 'assets.complete',
    auth: true,
    async handle(ctx) {
      const b = await readJson(ctx.req);
      const asset = ctx.app.state.assets.get(decodeURIComponent(ctx.params[0]));
      if (!asset) throw new HttpError(404, 'asset_not_found', `Asset ${ctx.params[0]} not found`);
      if (b.checksum_sha256 !== undefined && b.checksum_sha256 !== null && b.checksum_sha256 !== asset.checksum_sha256)
        throw invalid('checksum_sha256', 'checksum_sha256 does not match the upload');
      if (!asset.bytes) throw new HttpError(409, 'request_in_progress', 'The upload has not arrived yet');
      if (asset.status === 'uploaded' && asset.conflictsLeft > 0) {
        asset.conflictsLeft--;
        throw new HttpError(409, 'request_in_progress', 'The upload is still propagating; retry shortly');
      }
      asset.status = 'processing';
      return { status: 200, body: { data: { ...assetView(asset), status: 'processing' } } };
    },
  },
  {
    method: 'POST',
    pattern: /^\/v3\/assets$/,
    name: 'assets.upload',
    auth: true,
    async handle(ctx) {
      const raw = await readBody(ctx.req, MAX_SIMPLE + 1024 * 1024);
      let form: FormData;
      try {
        form = await new Request('http://x/', {
          method: 'POST',
          headers: { 'content-type': String(ctx.req.headers['content-type'] ?? '') },
          body: new Uint8Array(raw),
        }).formData();
      } catch {
        throw invalid('file', 'Expected multipart/form-data with a file field');
      }
      const file = form.get('file');
      if (!(file instanceof Blob)) throw invalid('file', 'The file field is required');
      const bytes = Buffer.from(await file.arrayBuffer());
      if (bytes.length > MAX_SIMPLE) throw new HttpError(413, 'file_too_large', 'Files over 32 MB must use direct uploads', 'file');
      const name = (file as File).name || 'upload.bin';
      const type = bytes.readUInt32LE(0) === 0x04034b50 ? 'application/zip' : file.type || 'application/octet-stream';
      const checksum = createHash('sha256').update(bytes).digest('hex');
      return idempotent(ctx, { name, checksum }, async () => {
        const asset: FakeAsset = {
          asset_id: newId('asset'),
          filename: name,
          content_type: type,
          size_bytes: bytes.length,
          checksum_sha256: checksum,
          status: 'processing',
          bytes,
          conflictsLeft: 0,
        };
        ctx.app.state.assets.set(asset.asset_id, asset);
        return { status: 200, body: { data: assetView(asset) } };
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/_storage\/renders\/([^/]+)\/(video\.\w+|thumbnail\.png)$/,
    name: 'storage.get',
    auth: false,
    async handle(ctx) {
      if (!storageGate(ctx, 'GET')) return null;
      const r = ctx.app.state.renders.get(ctx.params[0]);
      if (!r || r.status !== 'completed') return (sendStorageError(ctx.res, 404, 'NoSuchKey', 'The specified key does not exist.'), null);
      const isVideo = ctx.params[1].startsWith('video');
      const bytes = isVideo ? await ctx.app.media.video(FORMAT_OF(r), ASPECT_OF(r)) : await ctx.app.media.thumbnail(ASPECT_OF(r));
      ctx.res.writeHead(200, { 'content-type': MIME[isVideo ? FORMAT_OF(r) : 'png'], 'content-length': bytes.length });
      if (ctx.fault?.kind === 'stall' || ctx.fault?.kind === 'trickle') {
        await slowBody(ctx, bytes);
        return null;
      }
      if (ctx.fault?.kind === 'truncate') {
        ctx.res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => ctx.res.destroy());
        return null;
      }
      ctx.res.end(bytes);
      return null;
    },
  },
];
