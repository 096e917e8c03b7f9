// Probe 6 (the API part) of issue 13: an answer whose body stalls, or trickles a byte at a time,
// must fail on time (the whole-request deadline covers the body), with exit 6 and the command
// that picks the work up again. The deadline is shortened here with FRAMESMITH_CLOUD_TIMEOUT
// (seconds; default 60) so the probes stay short.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHeygen, type FakeHeygen } from '../fake-heygen/index.js';
import { cli, expectClean, filesIn, KEY, makeRender, tempDir } from './cloud-helpers.js';

let fake: FakeHeygen;
beforeAll(async () => {
  fake = await startFakeHeygen({ apiKeys: [KEY], autoAdvance: false });
});
afterAll(() => fake.close());
beforeEach(() => fake.controls.clearFaults());

const env = { FRAMESMITH_CLOUD_TIMEOUT: '2' };

describe('API answers that never finish', () => {
  for (const [name, fault] of [
    ['a body that stalls after a few bytes', { kind: 'stall', afterBytes: 5 }],
    ['a body that trickles a byte every 300 ms', { kind: 'trickle', intervalMs: 300 }],
  ] as const) {
    it(`${name}: renders get fails after the deadline, exit 6, once (not retried), with the resume command`, async () => {
      const id = await makeRender(fake);
      fake.controls.inject({ route: 'renders.get', ...fault });
      const gets = fake.controls.requests('renders.get').length;
      const r = await cli(fake, ['renders', 'get', id], { cwd: await tempDir(), env });
      expect(r.code).toBe(6);
      expect(r.stderr).toContain(
        `Could not reach HeyGen at ${fake.url} for GET /v3/hyperframes/renders/${id}: the answer did not arrive in full in time (no complete answer within 2 s).`,
      );
      expect(r.stderr).toContain(`hint: The render goes on in the cloud; follow it later with: framesmith renders get ${id} --download`);
      expect(fake.controls.requests('renders.get').length - gets).toBe(1);
      expectClean(r);
    });
  }

  it('a create whose answer stalls: exit 6, and the hint carries the idempotency key that gets the same render back', async () => {
    fake.controls.inject({ route: 'renders.create', kind: 'stall', afterBytes: 3 });
    const before = fake.state.rendersCreated;
    const r = await cli(fake, ['render', '--cloud', '--url', 'https://example.com/p.zip', '--no-wait'], { cwd: await tempDir(), env });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/POST \/v3\/hyperframes\/renders: the answer did not arrive in full in time/);
    const key = /--idempotency-key (framesmith-[\w-]+)/.exec(r.stderr)?.[1];
    expect(key).toBeDefined();
    expect(fake.state.rendersCreated).toBe(before + 1);
    // Running again with that key gets the render HeyGen made, not a second one.
    const again = await cli(fake, ['render', '--cloud', '--url', 'https://example.com/p.zip', '--no-wait', '--idempotency-key', key!], {
      cwd: await tempDir(),
      env,
    });
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toMatch(/^hfr_/);
    expect(fake.state.rendersCreated).toBe(before + 1);
  });

  it('the deadline setting itself is checked', async () => {
    const r = await cli(fake, ['renders', 'list'], { cwd: await tempDir(), env: { FRAMESMITH_CLOUD_TIMEOUT: 'soon' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FRAMESMITH_CLOUD_TIMEOUT must be a number of seconds/);
  });
});

describe('downloads that stall', () => {
  it('a video body that stalls is started again, then gives up with exit 6, the resume command and no file left', async () => {
    const id = await makeRender(fake, { finished: true });
    fake.controls.inject({ route: 'storage.get', kind: 'stall', afterBytes: 100, times: 3 });
    const cwd = await tempDir();
    const r = await cli(fake, ['renders', 'get', id, '--download'], { cwd, env: { FRAMESMITH_CLOUD_STALL: '1' } });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(new RegExp(`The download of render ${id} was cut off 3 times \\(last time it stalled after 100 bytes`));
    expect(r.stderr).toContain(`framesmith renders get ${id} --download`);
    expect(await filesIn(cwd)).toEqual(['renders']);
    expectClean(r);
  });
});
