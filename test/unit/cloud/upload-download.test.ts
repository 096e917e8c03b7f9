// Upload both ways (inline base64 and direct upload with progress) and atomic downloads.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uploadProjectZip, uploadAssetFile, type UploadProgress } from '../../../src/cloud/upload.js';
import { downloadRenderOutputs } from '../../../src/cloud/download.js';
import { waitForRender } from '../../../src/cloud/poll.js';
import { submitRender } from '../../../src/cloud/submit.js';
import { FramesmithError } from '../../../src/core/errors.js';
import { startFakeHeygen, type FakeHeygen } from '../../fake-heygen/index.js';
import { zipFolder } from '../../fake-heygen/make-zip.js';
import { clientFor, FIXTURE } from './helpers.js';

let fake: FakeHeygen;
let smallZip: string;

beforeAll(async () => {
  fake = await startFakeHeygen({ completeConflicts: 2 });
  smallZip = await zipFolder(FIXTURE);
});
afterAll(() => fake.close());
beforeEach(() => fake.controls.clearFaults());

async function completedRender() {
  const client = clientFor(fake);
  const up = await uploadProjectZip(client, smallZip);
  const { render_id } = await client.renders.create({ project: up.project });
  return { client, detail: await waitForRender(client, render_id, { pollInterval: 0 }) };
}

describe('uploadProjectZip', () => {
  it('sends a small zip inline as base64 without touching the asset routes', async () => {
    const n = fake.state.requests.length;
    const up = await uploadProjectZip(clientFor(fake), smallZip);
    expect(up.method).toBe('base64');
    expect(up.project.type).toBe('base64');
    expect(Buffer.from((up.project as { data: string }).data, 'base64')).toEqual(await readFile(smallZip));
    expect(fake.state.requests.length).toBe(n);
  });

  it('direct-uploads a larger zip: no auth on the PUT, headers verbatim, progress, 409s on complete retried', async () => {
    const zip = await zipFolder(FIXTURE, { padBytes: 300_000 });
    const events: UploadProgress[] = [];
    fake.controls.inject({ route: 'storage.put', kind: 'status', status: 503 });
    const client = clientFor(fake);
    const up = await uploadProjectZip(client, zip, { inlineMaxBytes: 100_000, onProgress: (p) => events.push(p) });
    expect(up.method).toBe('direct');
    expect(up.project).toEqual({ type: 'asset_id', asset_id: up.assetId });
    const puts = fake.controls.requests('storage.put');
    expect(puts.every((r) => !r.hadAuth)).toBe(true);
    expect(puts.at(-1)!.status).toBe(200);
    expect(
      fake.controls
        .requests('assets.complete')
        .slice(-3)
        .map((r) => r.status),
    ).toEqual([409, 409, 200]);
    const uploads = events.filter((e) => e.phase === 'upload');
    expect(uploads.at(-1)!.sentBytes).toBe((await stat(zip)).size);
    expect(events.at(-1)!.phase).toBe('complete');
    const { render_id } = await client.renders.create({ project: up.project });
    expect((await waitForRender(client, render_id, { pollInterval: 0 })).status).toBe('completed');
  });

  it('refuses a zip over 200 MB before sending anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-big-'));
    const big = join(dir, 'big.zip');
    await writeFile(big, '');
    await truncate(big, 209_715_201);
    const n = fake.state.requests.length;
    const e = (await uploadProjectZip(clientFor(fake), big).catch((x) => x)) as FramesmithError;
    expect(e).toBeInstanceOf(FramesmithError);
    expect([e.code, e.exitCode]).toEqual(['cloud_too_large', 2]);
    expect(fake.state.requests.length).toBe(n);
  });

  it('submitRender validates before sending and passes the idempotency key', async () => {
    const client = clientFor(fake);
    const up = await uploadProjectZip(client, smallZip);
    const n = fake.state.requests.length;
    await expect(submitRender(client, { project: up.project, params: { fps: 500 } })).rejects.toThrow(/--fps/);
    expect(fake.state.requests.length).toBe(n);
    const a = await submitRender(client, { project: up.project, params: { fps: 24 }, idempotencyKey: 'unit-submit-1' });
    const b = await submitRender(client, { project: up.project, params: { fps: 24 }, idempotencyKey: 'unit-submit-1' });
    expect(b.render_id).toBe(a.render_id);
  });

  it('names a missing zip', async () => {
    await expect(uploadProjectZip(clientFor(fake), '/nope/p.zip')).rejects.toThrow(/\/nope\/p.zip does not exist/);
  });

  it('uploads any small file through the multipart route', async () => {
    const asset = await uploadAssetFile(clientFor(fake), smallZip);
    expect(asset.mime_type).toBe('application/zip');
  });
});

describe('downloadRenderOutputs', () => {
  it('writes the video and thumbnail under renders/<id> as real media', async () => {
    const { client, detail } = await completedRender();
    const cwd = await mkdtemp(join(tmpdir(), 'fs-dl-'));
    const got = await downloadRenderOutputs(detail, { cwd, client });
    expect(got.videoPath).toBe(join(cwd, 'renders', `${detail.render_id}.mp4`));
    expect(got.thumbnailPath).toBe(join(cwd, 'renders', `${detail.render_id}.png`));
    const probe = execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', got.videoPath],
      { encoding: 'utf8' },
    );
    expect(probe.trim()).toBe('h264,192,108');
    expect((await readFile(got.thumbnailPath!)).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('leaves no file under the final name when the connection is cut mid-download', async () => {
    const { client, detail } = await completedRender();
    const cwd = await mkdtemp(join(tmpdir(), 'fs-dl-'));
    fake.controls.inject({ route: 'storage.get', kind: 'truncate', times: 10 });
    const e = (await downloadRenderOutputs(detail, { cwd, client, outPath: 'out/video.mp4' }).catch((x) => x)) as FramesmithError;
    expect(e).toBeInstanceOf(FramesmithError);
    expect(e.message).toMatch(/video\.mp4/);
    expect(existsSync(join(cwd, 'out', 'video.mp4'))).toBe(false);
    expect(await readdir(join(cwd, 'out'))).toEqual([]);
  });

  it('starts a cut-off download again and succeeds', async () => {
    const { client, detail } = await completedRender();
    const cwd = await mkdtemp(join(tmpdir(), 'fs-dl-'));
    fake.controls.inject({ route: 'storage.get', kind: 'truncate', times: 1 });
    const got = await downloadRenderOutputs(detail, { cwd, client });
    expect((await readFile(got.videoPath)).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(await readdir(join(cwd, 'renders'))).toHaveLength(2);
  });

  it('fetches fresh links when the presigned ones expired', async () => {
    const { client, detail } = await completedRender();
    fake.controls.advance(7200);
    const cwd = await mkdtemp(join(tmpdir(), 'fs-dl-'));
    const got = await downloadRenderOutputs(detail, { cwd, client });
    expect((await stat(got.videoPath)).size).toBeGreaterThan(1000);
  });

  it('refuses a render that is not completed', async () => {
    const client = clientFor(fake);
    const { render_id } = await client.renders.create({ project: (await uploadProjectZip(client, smallZip)).project });
    const detail = await client.renders.get(render_id);
    await expect(downloadRenderOutputs(detail, { client })).rejects.toThrow(/is queued; there is no video/);
  });
});
