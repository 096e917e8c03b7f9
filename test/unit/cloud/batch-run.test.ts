// Cloud batches within the account's limits, against the fake server: at most N renders in
// flight, 429s absorbed, the state file beside the outputs, resuming with the same keys, and an
// edited batch refused with its row numbers.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCloudRender, type RunCloudRenderOptions } from '../../../src/cloud/run-cloud-render.js';
import type { BatchEvent } from '../../../src/cloud/batch-run.js';
import { CancelledError, FramesmithError } from '../../../src/core/errors.js';
import { startFakeHeygen, type FakeHeygen, type FakeHeygenOptions } from '../../fake-heygen/index.js';
import { zipFolder } from '../../fake-heygen/make-zip.js';
import { clientFor, FIXTURE, recordingLogger } from './helpers.js';

let zip: string;
const servers: FakeHeygen[] = [];

beforeAll(async () => {
  zip = await zipFolder(FIXTURE);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(options: FakeHeygenOptions = {}) {
  const fake = await startFakeHeygen({ concurrencyRetryAfter: 0, ...options });
  servers.push(fake);
  const cwd = await mkdtemp(join(tmpdir(), 'fs-batch-'));
  const rows = Array.from({ length: 8 }, (_, i) => ({ headline: `Row ${i + 1}` }));
  await writeFile(join(cwd, 'rows.json'), JSON.stringify(rows));
  const run = (o: Partial<RunCloudRenderOptions> = {}) =>
    runCloudRender({
      zip,
      cwd,
      client: clientFor(fake),
      pollInterval: 10,
      ...o,
      batch: { file: 'rows.json', namePattern: 'out/{index}.mp4', ...o.batch },
    });
  return { fake, cwd, run, statePath: join(cwd, 'out', 'framesmith-batch-rows.json') };
}

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: FramesmithError) => e,
  );

describe('concurrency', () => {
  it('keeps at most --concurrency renders in flight and submits queued rows as others finish', async () => {
    const { fake, cwd, run, statePath } = await setup({ concurrencyLimit: 10 });
    const result = await run({ batch: { concurrency: 3 } });
    expect(result.renders.every((r) => r.status === 'completed')).toBe(true);
    expect(fake.state.maxActive).toBe(3);
    expect(fake.controls.requests('renders.create').filter((r) => r.status === 429)).toHaveLength(0);
    expect((await readdir(join(cwd, 'out'))).filter((f) => f.endsWith('.mp4')).sort()).toEqual([
      '1.mp4',
      '2.mp4',
      '3.mp4',
      '4.mp4',
      '5.mp4',
      '6.mp4',
      '7.mp4',
      '8.mp4',
    ]);
    expect(existsSync(statePath)).toBe(false); // removed once every row ended
    expect(result.batch).toMatchObject({ concurrency: 3, resumed: false, complete: true });
  });

  it('absorbs the account limit: 429s wait for Retry-After, the limit drops to what the account took, every row renders once', async () => {
    const { fake, run } = await setup({ concurrencyLimit: 2 });
    const events: BatchEvent[] = [];
    const { logger, out } = recordingLogger();
    const result = await run({ batch: { concurrency: 6 }, onBatchEvent: (e) => events.push(e), logger });
    expect(result.renders.every((r) => r.status === 'completed')).toBe(true);
    expect(fake.state.rendersCreated).toBe(8);
    expect(fake.state.maxActive).toBe(2);
    const throttled = events.filter((e) => e.type === 'throttled');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.at(-1)).toMatchObject({ limit: 2 });
    // Once the limit is known, the batch stops knocking: far fewer 429s than rows.
    expect(fake.controls.requests('renders.create').filter((r) => r.status === 429).length).toBeLessThan(8);
    expect(out.text).not.toMatch(/error/);
  });

  it('prints the batch line, the 429 note and the table through the logger by default', async () => {
    const { run } = await setup({ concurrencyLimit: 1 });
    const { logger, out } = recordingLogger();
    await run({ batch: { concurrency: 2 }, logger });
    expect(out.text).toMatch(/8 renders: 8 waiting/);
    expect(out.text).toMatch(/8 renders: .*completed/);
    expect(out.text).toMatch(/HeyGen answered 429 \(too many renders at once\): at most 1 in flight from now on/);
    expect(out.text).toMatch(/8\/8 completed/);
  });
});

describe('resuming', () => {
  it('after Ctrl+C, the same command submits only rows without a render, with the same keys', async () => {
    const { fake, cwd, run, statePath } = await setup();
    const controller = new AbortController();
    let submitted = 0;
    const e = await fail(
      run({
        signal: controller.signal,
        idempotencyKey: 'batch-resume',
        batch: { concurrency: 2 },
        onBatchEvent: (ev) => ev.type === 'submitted' && ++submitted === 3 && controller.abort(),
      }),
    );
    expect(e).toBeInstanceOf(CancelledError);
    expect(e.message).toMatch(/Stopped the batch: \d+ renders? in the cloud not downloaded yet, 5 rows not submitted/);
    expect(e.hint).toContain(statePath);
    const state = JSON.parse(await readFile(statePath, 'utf8'));
    expect(state.rows.filter((r: { render_id: string | null }) => r.render_id)).toHaveLength(3);
    expect(state.rows.map((r: { key: string }) => r.key)).toEqual(Array.from({ length: 8 }, (_, i) => `batch-resume:${i + 1}`));

    const { logger, out } = recordingLogger();
    const result = await run({ logger });
    expect(out.text).toMatch(/Resuming the batch in .*framesmith-batch-rows\.json: 3 of 8 rows already have a render/);
    expect(fake.state.rendersCreated).toBe(8);
    expect(result.renders.map((r) => r.idempotencyKey)).toEqual(state.rows.map((r: { key: string }) => r.key));
    expect(result.renders.slice(0, 3).map((r) => r.renderId)).toEqual(
      state.rows.slice(0, 3).map((r: { render_id: string }) => r.render_id),
    );
    expect((await readdir(join(cwd, 'out'))).filter((f) => f.endsWith('.mp4'))).toHaveLength(8);
    expect(existsSync(statePath)).toBe(false);
  });

  it('a create whose answer never reached the state is replayed by its key, not rendered twice', async () => {
    const { fake, run, statePath } = await setup();
    const controller = new AbortController();
    let submitted = 0;
    await fail(
      run({ signal: controller.signal, onBatchEvent: (ev) => ev.type === 'submitted' && ++submitted === 2 && controller.abort() }),
    );
    // As if the process died between HeyGen creating row 2's render and the state recording it.
    const state = JSON.parse(await readFile(statePath, 'utf8'));
    const lost = state.rows[1].render_id;
    state.rows[1].render_id = null;
    state.rows[1].status = null;
    await writeFile(statePath, JSON.stringify(state));
    const result = await run({});
    expect(result.renders[1].renderId).toBe(lost);
    expect(fake.state.rendersCreated).toBe(8);
    expect(fake.controls.requests('renders.create').some((r) => r.replayed)).toBe(true);
  });

  it('--no-wait submits every row (within the limit) and returns; the same command then follows and downloads', async () => {
    const { fake, cwd, run, statePath } = await setup({ concurrencyLimit: 3 });
    const first = await run({ wait: false, batch: { concurrency: 3 } });
    expect(first.renders.every((r) => r.renderId)).toBe(true);
    expect(existsSync(statePath)).toBe(true);
    expect(fake.state.maxActive).toBeLessThanOrEqual(3);
    await run({ batch: { concurrency: 3 } });
    expect(fake.state.rendersCreated).toBe(8);
    expect((await readdir(join(cwd, 'out'))).filter((f) => f.endsWith('.mp4'))).toHaveLength(8);
  });
});

describe('an edited batch is refused', () => {
  async function interrupted() {
    const s = await setup();
    const controller = new AbortController();
    let submitted = 0;
    await fail(
      s.run({ signal: controller.signal, onBatchEvent: (ev) => ev.type === 'submitted' && ++submitted === 2 && controller.abort() }),
    );
    return s;
  }

  it('rows changed, added or removed: named by number, nothing sent', async () => {
    const { fake, cwd, run, statePath } = await interrupted();
    const rows = Array.from({ length: 8 }, (_, i) => ({ headline: `Row ${i + 1}` }));
    rows[2].headline = 'Edited';
    rows[6].headline = 'Edited too';
    await writeFile(join(cwd, 'rows.json'), JSON.stringify(rows));
    const n = fake.state.requests.length;
    const e = await fail(run({}));
    expect([e.code, e.exitCode]).toEqual(['batch_changed', 2]);
    expect(e.message).toBe(`rows.json was edited since this batch started: rows 3, 7 changed (state: ${statePath}).`);
    expect(e.hint).toMatch(/delete .*framesmith-batch-rows\.json to start a new batch/);
    expect(fake.state.requests.length).toBe(n);
    // Row 3 deleted: the rows after it move up, so they changed too.
    const original = Array.from({ length: 8 }, (_, i) => ({ headline: `Row ${i + 1}` }));
    await writeFile(join(cwd, 'rows.json'), JSON.stringify([...original.slice(0, 2), ...original.slice(3, 6)]));
    const shorter = await fail(run({}));
    expect(shorter.message).toMatch(/rows 3–5 changed; rows 6–8 removed/);
    await writeFile(
      join(cwd, 'rows.json'),
      JSON.stringify([...Array.from({ length: 8 }, (_, i) => ({ headline: `Row ${i + 1}` })), { headline: 'new' }]),
    );
    expect((await fail(run({}))).message).toMatch(/row 9 added/);
  });

  it('other settings, another project or another --idempotency-key: refused', async () => {
    const { run } = await interrupted();
    expect((await fail(run({ params: { quality: 'high' } }))).message).toMatch(/render settings .* differ/);
    const other = await zipFolder(FIXTURE, { padBytes: 1000 });
    expect((await fail(run({ zip: other }))).message).toMatch(/The project changed since this batch started/);
    expect((await fail(run({ idempotencyKey: 'another-key' }))).message).toMatch(/started with --idempotency-key framesmith-/);
  });

  it('a damaged state file is named', async () => {
    const { run, statePath } = await interrupted();
    await writeFile(statePath, '{ not json');
    const e = await fail(run({}));
    expect([e.code, e.message]).toEqual(['batch_state_invalid', `The batch state file ${statePath} is damaged or from another version.`]);
  });
});

describe('idempotency keys the user passes', () => {
  it('a key with characters outside [A-Za-z0-9_:.-] is refused before anything is sent, naming the character', async () => {
    const { fake, run } = await setup();
    const n = fake.state.requests.length;
    for (const [key, why] of [
      ['has space', /" " |a space/],
      ['émoji', /"é" is not allowed/],
      ['x'.repeat(256), /256 characters long/],
    ] as const) {
      const e = await fail(run({ idempotencyKey: key }));
      expect([e.code, e.exitCode]).toEqual(['invalid_option', 2]);
      expect(e.message).toMatch(why);
    }
    expect(fake.state.requests.length).toBe(n);
  });

  it('a key that fits alone but not with the row number a batch adds is refused before anything is sent', async () => {
    const { fake, run } = await setup();
    const e = await fail(run({ idempotencyKey: 'k'.repeat(254) }));
    expect([e.code, e.exitCode]).toEqual(['invalid_option', 2]);
    expect(e.message).toBe(
      '--idempotency-key is 254 characters; a batch sends it with the row number added (`:8` for row 8), which goes over the 255 characters HeyGen allows.',
    );
    expect(e.hint).toBe('Use a key of at most 253 characters for this batch of 8 rows.');
    expect(fake.state.requests).toEqual([]);
    const fits = await run({ idempotencyKey: 'k'.repeat(253) });
    expect(fits.renders.map((r) => r.idempotencyKey)).toContain(`${'k'.repeat(253)}:8`);
  });
});
