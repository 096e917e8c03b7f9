// runCloudRender end to end against the fake server: checks before upload, the single and batch
// flows, failures, no-wait and interruption.
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCloudRender, type RunCloudRenderOptions } from '../../../src/cloud/run-cloud-render.js';
import { expandNamePattern, loadBatchRows } from '../../../src/options/batch-rows.js';
import { CancelledError, FramesmithError } from '../../../src/core/errors.js';
import { startFakeHeygen, type FakeHeygen } from '../../fake-heygen/index.js';
import { zipFolder } from '../../fake-heygen/make-zip.js';
import { clientFor, FIXTURE, recordingLogger } from './helpers.js';

let fake: FakeHeygen;
let zip: string;
let cwd: string;

beforeAll(async () => {
  fake = await startFakeHeygen();
  zip = await zipFolder(FIXTURE);
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.controls.clearFaults();
  cwd = await mkdtemp(join(tmpdir(), 'fs-run-'));
});

const run = (o: Partial<RunCloudRenderOptions>) => runCloudRender({ zip, cwd, client: clientFor(fake), pollInterval: 10, ...o });
const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: FramesmithError) => e,
  );

describe('checks before any upload', () => {
  const bad: [string, Partial<RunCloudRenderOptions>, RegExp][] = [
    ['fps 0', { params: { fps: 0 } }, /--fps must be a whole number from 1 to 240/],
    ['fps 29.97', { params: { fps: 29.97 } }, /--fps/],
    ['quality', { params: { quality: 'ultra' as never } }, /--quality must be one of draft, standard, high/],
    ['4k webm', { params: { resolution: '4k', format: 'webm' } }, /4k works only with --format mp4/],
    ['title', { params: { title: 'x'.repeat(501) } }, /--title is 501 characters; the limit is 500/],
    ['callback id', { params: { callbackId: 'x'.repeat(257) } }, /--callback-id/],
    ['http callback', { params: { callbackUrl: 'http://example.com/hook' } }, /https/],
    ['composition', { params: { composition: 'a'.repeat(513) } }, /--composition/],
    ['aspect conflict', { params: { aspectRatio: '9:16' } }, /--aspect-ratio 9:16 does not match the composition \(1920x1080 is 16:9\)/],
    ['strict variables', { params: { variables: { headline: 42 } }, strictVariables: true }, /"headline" must be a string/],
    ['two sources', { assetId: 'asset_1' }, /one project source/],
    ['missing entry', { params: { composition: 'other.html' } }, /no other.html at its root/],
  ];
  for (const [name, options, message] of bad) {
    it(`refuses ${name} and sends nothing`, async () => {
      const n = fake.state.requests.length;
      const e = await fail(run(options));
      expect(e).toBeInstanceOf(FramesmithError);
      expect(e.exitCode).toBe(2);
      expect(`${e.message} ${e.details.map((d) => d.message).join(' ')}`).toMatch(message);
      expect(fake.state.requests.length).toBe(n);
    });
  }

  it('reports several problems together', async () => {
    const e = await fail(run({ params: { fps: 0, quality: 'x' as never } }));
    expect(e.message).toBe('2 render parameters are invalid.');
    expect(e.details).toHaveLength(2);
  });

  it('warns (without --strict-variables) and still renders', async () => {
    const { logger, out } = recordingLogger();
    const result = await run({ params: { variables: { headline: 42, nope: 1 } }, logger, wait: false });
    expect(out.text).toMatch(/warning --variables: "headline" must be a string/);
    expect(out.text).toMatch(/"nope" is not a declared variable/);
    expect(result.renders).toHaveLength(1);
  });

  it('dry run checks and sends nothing, needing no key', async () => {
    const n = fake.state.requests.length;
    const result = await runCloudRender({ zip, cwd, dryRun: true, params: { fps: 24 } });
    expect(result.dryRun).toBe(true);
    expect(result.requests[0]).toMatchObject({ fps: 24, aspect_ratio: '16:9' });
    expect(fake.state.requests.length).toBe(n);
  });
});

describe('the flow', () => {
  it('uploads, submits, follows and downloads to renders/<id>.mp4 with the derived aspect ratio', async () => {
    const { logger, out } = recordingLogger();
    const result = await run({ logger, params: { title: 'unit', variables: { headline: 'Hi' } } });
    const [r] = result.renders;
    expect(r.status).toBe('completed');
    expect(r.videoPath).toBe(join(cwd, 'renders', `${r.renderId}.mp4`));
    expect(existsSync(r.videoPath!)).toBe(true);
    expect(existsSync(join(cwd, 'renders', `${r.renderId}.png`))).toBe(true);
    expect(r.detail!.aspect_ratio).toBe('16:9');
    expect(out.text).toMatch(/queued · 00:0\d/);
    expect(out.text).toMatch(/rendering · /);
  });

  it('with no key anywhere, fails (exit 3) before building', async () => {
    vi.stubEnv('HEYGEN_API_KEY', '');
    let built = false;
    try {
      const e = await fail(runCloudRender({ zip: async () => ((built = true), zip), cwd, baseUrl: fake.url }));
      expect([e.code, e.exitCode]).toEqual(['missing_api_key', 3]);
      expect(built).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('uses the direct upload above the inline threshold', async () => {
    const result = await run({ inlineMaxBytes: 0 });
    expect(result.upload).toMatchObject({ method: 'direct' });
    expect(result.requests[0].project).toEqual({ type: 'asset_id', asset_id: result.upload!.assetId });
    expect(result.renders[0].status).toBe('completed');
  });

  it('builds first when given a builder, and honours -o', async () => {
    const result = await run({ zip: async () => zip, outPath: 'out/final.mp4' });
    expect(result.renders[0].videoPath).toBe(join(cwd, 'out', 'final.mp4'));
  });

  it('a failed render throws render_failed with its message (exit 7)', async () => {
    fake.controls.failNext('Timeline not registered');
    const e = await fail(run({}));
    expect([e.code, e.exitCode]).toEqual(['render_failed', 7]);
    expect(e.message).toMatch(/Timeline not registered/);
  });

  it('--no-wait returns the id at once with how to resume', async () => {
    const { logger, out } = recordingLogger();
    const result = await run({ wait: false, logger });
    expect(result.renders[0].status).toBe('queued');
    expect(out.text).toContain(`framesmith renders get ${result.renders[0].renderId} --download`);
  });

  it('stopping the wait says how to resume (exit 130)', async () => {
    const controller = new AbortController();
    const e = await fail(
      run({
        signal: controller.signal,
        pollInterval: 60_000,
        logger: {
          ...recordingLogger().logger,
          info: (m: string) => m.startsWith('Submitted') && setTimeout(() => controller.abort(), 20),
        } as never,
      }),
    );
    expect(e).toBeInstanceOf(CancelledError);
    expect(e.exitCode).toBe(130);
    expect(e.hint).toMatch(/framesmith renders get hfr_\w+ --download/);
  });

  it('batch: one upload, three renders, names from the pattern, one row failing', async () => {
    const { logger, out } = recordingLogger();
    const before = fake.state.rendersCreated;
    const rows = [{ headline: 'Alpha' }, { headline: 'Beta/Gamma' }, { headline: 'Alpha' }];
    const result = await run({ logger, batch: { rows, namePattern: 'renders/{headline}.mp4' }, idempotencyKey: 'batch-unit-1' });
    expect(fake.state.rendersCreated - before).toBe(3);
    expect(result.renders.map((r) => r.videoPath)).toEqual([
      join(cwd, 'renders/Alpha.mp4'),
      join(cwd, 'renders/Beta-Gamma.mp4'),
      join(cwd, 'renders/Alpha-2.mp4'),
    ]);
    expect(result.renders.map((r) => r.idempotencyKey)).toEqual(['batch-unit-1:1', 'batch-unit-1:2', 'batch-unit-1:3']);
    expect(out.text).toMatch(/3 renders: .*queued/);
    expect(out.text).toMatch(/3\/3 completed/);
    expect(out.text).toMatch(/#\s+render\s+status\s+output/);
  });

  it('batch with a failing row downloads the others, prints the table, then fails (exit 7)', async () => {
    const { logger, out } = recordingLogger();
    fake.controls.queueOutcomes(['completed', { failed: 'row two broke' }, 'completed']);
    const e = await fail(
      run({ logger, batch: { rows: [{ headline: 'A' }, { headline: 'B' }, { headline: 'C' }], namePattern: 'v/{index}-{headline}.mp4' } }),
    );
    expect([e.code, e.exitCode]).toEqual(['render_failed', 7]);
    expect(e.message).toMatch(/1 of 3 renders failed .*row two broke/);
    expect(existsSync(join(cwd, 'v/1-A.mp4'))).toBe(true);
    expect(existsSync(join(cwd, 'v/2-B.mp4'))).toBe(false);
    expect(existsSync(join(cwd, 'v/3-C.mp4'))).toBe(true);
    expect(out.text).toMatch(/2\s+hfr_\w+\s+failed\s+row two broke/);
    expect(out.text).toMatch(/2\/3 completed/);
  });

  it('batch rows from CSV are typed by the declarations', async () => {
    const file = join(cwd, 'rows.csv');
    await writeFile(file, 'headline,count,dark\n"Hello, world",7,true\nBye,2,false\n');
    const rows = await loadBatchRows(file, [
      { id: 'headline', type: 'string', label: 'H', default: '' },
      { id: 'count', type: 'number', label: 'C', default: 0 },
      { id: 'dark', type: 'boolean', label: 'D', default: false },
    ]);
    expect(rows).toEqual([
      { headline: 'Hello, world', count: 7, dark: true },
      { headline: 'Bye', count: 2, dark: false },
    ]);
    expect(() => expandNamePattern('renders/{missing}.mp4', rows[0], { index: 1, render_id: 'r', format: 'mp4' })).toThrow(/\{missing\}/);
  });
});
