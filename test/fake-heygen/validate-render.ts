/**
 * The fake's validation of `POST /v3/hyperframes/renders` bodies, field by field as the reference
 * lists them. Every failure is a 400 `invalid_parameter` naming the field (dotted for the project),
 * except an oversized inline project (413) and a zip without its entry (400
 * `hyperframes_project_invalid`).
 */
import { HttpError, invalid, isAllowedCallbackUrl } from './http-util.js';
import type { FakeAsset } from './types.js';
import { inspectZip, ratioOf } from './zip-check.js';

const FIELDS = [
  'project',
  'fps',
  'quality',
  'format',
  'resolution',
  'aspect_ratio',
  'composition',
  'variables',
  'title',
  'callback_id',
  'callback_url',
];
const ENUMS: Record<string, string[]> = {
  quality: ['draft', 'standard', 'high'],
  format: ['mp4', 'webm', 'mov'],
  resolution: ['1080p', '4k'],
  aspect_ratio: ['16:9', '9:16', '1:1'],
};
/** Inline projects above this many decoded bytes get 413 (the real limit is not documented). */
export const INLINE_LIMIT = 32 * 1024 * 1024;

const str = (body: Record<string, unknown>, key: string, max: number) => {
  const v = body[key];
  if (v === undefined) return;
  if (typeof v !== 'string') throw invalid(key, `${key} must be a string`);
  if (v.length > max) throw invalid(key, `${key} must be at most ${max} characters`);
};

/** Throws HttpError for the first problem; returns the zip bytes when the project carries them. */
export async function validateRenderBody(
  body: Record<string, unknown>,
  assets: Map<string, FakeAsset>,
  testMode: boolean,
): Promise<Buffer | null> {
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) throw invalid(key, `Unknown field ${key}`);
  const project = body.project as Record<string, unknown> | undefined;
  if (!project || typeof project !== 'object' || Array.isArray(project)) throw invalid('project', 'project is required');
  const allowed: Record<string, string[]> = {
    asset_id: ['type', 'asset_id'],
    url: ['type', 'url'],
    base64: ['type', 'media_type', 'data'],
  };
  const type = String(project.type);
  if (!allowed[type]) throw invalid('project.type', 'project.type must be one of asset_id, url, base64');
  for (const k of Object.keys(project))
    if (!allowed[type].includes(k)) throw invalid(`project.${k}`, `project.${k} is not allowed with type ${type}`);
  let zip: Buffer | null = null;
  if (type === 'asset_id') {
    const asset = typeof project.asset_id === 'string' ? assets.get(project.asset_id) : undefined;
    if (!asset) throw invalid('project.asset_id', `Asset ${String(project.asset_id)} not found`);
    if (asset.status !== 'processing' || !asset.bytes) throw invalid('project.asset_id', `Asset ${asset.asset_id} upload is not complete`);
    zip = asset.bytes;
  } else if (type === 'url') {
    if (!isAllowedCallbackUrl(project.url, false)) throw invalid('project.url', 'project.url must be a public https URL');
  } else {
    if (project.media_type !== 'application/zip') throw invalid('project.media_type', 'project.media_type must be application/zip');
    if (typeof project.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(project.data) || project.data.length === 0)
      throw invalid('project.data', 'project.data must be base64');
    zip = Buffer.from(project.data, 'base64');
    if (zip.length > INLINE_LIMIT)
      throw new HttpError(
        413,
        'hyperframes_project_too_large',
        `Inline project is ${zip.length} bytes; the limit is ${INLINE_LIMIT}`,
        'project.data',
      );
  }
  const fps = body.fps;
  if (fps !== undefined && !(typeof fps === 'number' && Number.isInteger(fps) && fps >= 1 && fps <= 240))
    throw invalid('fps', 'fps must be an integer between 1 and 240');
  for (const [key, values] of Object.entries(ENUMS)) {
    if (body[key] !== undefined && !values.includes(body[key] as string)) throw invalid(key, `${key} must be one of ${values.join(', ')}`);
  }
  if (body.resolution === '4k' && body.format !== undefined && body.format !== 'mp4')
    throw invalid('resolution', '4k is only available with format mp4');
  str(body, 'composition', 512);
  str(body, 'title', 500);
  str(body, 'callback_id', 256);
  if (body.variables !== undefined && (typeof body.variables !== 'object' || body.variables === null || Array.isArray(body.variables)))
    throw invalid('variables', 'variables must be an object');
  if (body.callback_url !== undefined && !isAllowedCallbackUrl(body.callback_url, testMode))
    throw invalid('callback_url', 'callback_url must be an https URL');
  if (zip) {
    const entry = (body.composition as string | undefined) ?? 'index.html';
    const facts = await inspectZip(zip, entry);
    if (!facts.isZip) throw invalid(type === 'base64' ? 'project.data' : 'project.asset_id', 'The project is not a zip archive');
    if (!facts.hasEntry) throw new HttpError(400, 'hyperframes_project_invalid', `The project zip has no ${entry}`, 'composition');
    const wanted = (body.aspect_ratio as string | undefined) ?? '16:9';
    const actual = facts.width && facts.height ? ratioOf(facts.width, facts.height) : null;
    if (actual && actual !== wanted)
      throw invalid('aspect_ratio', `aspect_ratio ${wanted} does not match the composition (${facts.width}x${facts.height} is ${actual})`);
  }
  return zip;
}
